/// Writes a small class-folder dataset of synthetic photos (`<root>/<class>/<class>_<n>.jpg`),
/// sized and compressed like Food-101's, so every command can be tried without a download.
/// With `splits` the classes sit in split folders, as fruits-360's `Training/<class>/` and
/// `Test/<class>/`.
public struct SampleFolders: SampleLayout {
    public var classes: Int
    public var perClass: Int
    public var seed: UInt64
    public var style: SamplePhotoStyle
    /// Split folder names (`Training`, `Test`), or empty for plain class folders. The first
    /// split takes about three quarters of each class, the others share the rest.
    public var splits: [String]

    public init(classes: Int, perClass: Int, seed: UInt64, style: SamplePhotoStyle = SamplePhotoStyle(), splits: [String] = []) {
        precondition(classes > 0 && perClass > 0, "a sample needs at least one class and one image per class")
        precondition(perClass >= splits.count, "every split needs an image of each class")
        self.classes = classes
        self.perClass = perClass
        self.seed = seed
        self.style = style
        self.splits = splits
    }

    /// The class name of class `i` (Food-101 names, then `class_<i>`).
    public static func className(_ i: Int) -> String {
        i < FoodNames.food101.count ? FoodNames.food101[i] : "class_\(i)"
    }

    /// Relative paths of all files, class by class.
    public var files: [String] {
        (0..<classes).flatMap { c in (0..<perClass).map { n in path(classIndex: c, index: n) } }
    }

    /// `<class>/<class>_<nnn>.jpg`, the image's name whatever split it is in.
    static func classPath(classIndex: Int, index: Int) -> String {
        let name = className(classIndex)
        return "\(name)/\(name)_\(String(index + 1000).dropFirst()).jpg"
    }

    func path(classIndex: Int, index: Int) -> String {
        let inClass = Self.classPath(classIndex: classIndex, index: index)
        return splits.isEmpty ? inClass : splits[splitIndex(of: index)] + "/" + inClass
    }

    /// The split of a class's image `index`: the last quarter of the class (at least one
    /// image per further split) is dealt in turn to the splits after the first.
    func splitIndex(of index: Int) -> Int {
        let others = splits.count - 1
        guard others > 0 else { return 0 }
        let first = perClass - max(others, (perClass + 2) / 4)
        return index < first ? 0 : 1 + (index - first) % others
    }

    /// The JPEG bytes of image `index` of class `classIndex` (the same in any split).
    public func jpeg(classIndex: Int, index: Int) throws(ImageError) -> [UInt8] {
        try style.jpeg(item: Self.classPath(classIndex: classIndex, index: index), seed: seed) { size in
            SyntheticPhoto.render(classIndex: classIndex, index: index, size: size, seed: seed)
        }
    }

    public var target: SampleTarget { .folder(name: nil) }
    public var imageCount: Int { classes * perClass }

    public func entries() -> [SampleEntry] {
        let tops = splits.isEmpty ? [""] : splits.map { $0 + "/" }
        return (0..<classes).flatMap { c in
            tops.map { SampleEntry.directory($0 + Self.className(c)) } + (0..<perClass).map { n in
                SampleEntry.image(path(classIndex: c, index: n)) { () throws(ImageError) in try jpeg(classIndex: c, index: n) }
            }
        }
    }
}
