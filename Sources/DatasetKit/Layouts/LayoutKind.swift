/// The dataset layouts `split` (and later commands) read.
public enum LayoutKind: String, Sendable, Codable, CaseIterable {
    /// `food-101/{images,meta}`: published train/test lists.
    case food101
    /// `Recipes5k/{images,annotations}`: published train/val/test lists.
    case recipes5k
    /// `<class>/<file>` or `<split>/<class>/<file>`.
    case folders

    /// Guesses from what is there: a `meta/` folder means Food-101, `annotations/` means
    /// Recipes5k (at `root` or one level down, in `food-101/` or `Recipes5k/`), anything else
    /// is read as class folders.
    public static func detect(_ root: String) -> LayoutKind {
        if Food101Layout(locating: root) != nil { return .food101 }
        if Recipes5kLayout(locating: root) != nil { return .recipes5k }
        return .folders
    }

    /// Reads the dataset at `root` in this layout; `excluding` names folders to leave out of
    /// image scans (an output folder inside the input).
    public func listing(root: String, excluding: [String] = []) throws(LayoutError) -> DatasetListing {
        switch self {
        case .food101:
            guard let layout = Food101Layout(locating: root) else {
                throw LayoutError(path: root, reason: "not a Food-101 folder: no meta/ here or in food-101/")
            }
            return try layout.listing(excluding: excluding)
        case .recipes5k:
            guard let layout = Recipes5kLayout(locating: root) else {
                throw LayoutError(path: root, reason: "not a Recipes5k folder: no annotations/ here or in Recipes5k/")
            }
            return try layout.listing(excluding: excluding)
        case .folders:
            return try DatasetListing(folders: DatasetLayout(root: root, excluding: excluding))
        }
    }
}
