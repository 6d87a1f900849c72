/// Reads the ingredient lists of Recipes5k splits as tag lists (to be folded into a few labels
/// by an `IngredientMapping`, or used as they are).
public struct Recipes5kTagging: Sendable {
    public var splits: [Recipes5kLayout.Split]
    /// Recipes5k's simplified ingredient names (`ingredients_simplified_Recipes5k.txt`), or the raw ones.
    public var simplified: Bool

    public init(splits: [Recipes5kLayout.Split] = Recipes5kLayout.Split.allCases, simplified: Bool = true) {
        self.splits = splits
        self.simplified = simplified
    }

    /// One item per image, named relative to `images/`, in split then file order; the lines
    /// of `<split>_images.txt` that are not `<class>/<file>` paths inside `images/` are left out
    /// and returned as failures (as `split` leaves them out).
    public func read(_ layout: Recipes5kLayout) throws -> (items: [TaggedItem], failures: [Problem]) {
        var items: [TaggedItem] = [], failures: [Problem] = []
        for split in splits {
            let imagesFile = layout.annotationsFolder + "/\(split.rawValue)_images.txt"
            let labelsFile = layout.annotationsFolder + "/\(split.rawValue)_labels.txt"
            for (index, entry) in try layout.ingredients(split: split, simplified: simplified).enumerated() {
                if let reason = Recipes5kLayout.imageProblem(entry.image) {
                    failures.append(Problem(path: "\(imagesFile):\(index + 1)",
                                            reason: "'\(printableName(entry.image))' \(reason) inside images/; left out"))
                    continue
                }
                items.append(TaggedItem(name: entry.image, tags: entry.ingredients, origin: "\(labelsFile):\(index + 1)"))
            }
        }
        return (items, failures)
    }

    /// The usable items of `read(_:)`.
    public func items(_ layout: Recipes5kLayout) throws -> [TaggedItem] { try read(layout).items }

    /// The class of an item named `<class>/<file>` (for class keys in a mapping).
    public static func recipeClass(_ item: TaggedItem) -> String? {
        item.name.firstIndex(of: "/").map { String(item.name[..<$0]) }
    }
}
