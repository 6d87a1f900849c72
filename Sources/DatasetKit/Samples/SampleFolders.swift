/// Writes a small class-folder dataset of synthetic photos (`<root>/<class>/<class>_<n>.jpg`),
/// sized and compressed like Food-101's, so every command can be tried without a download.
public struct SampleFolders: SampleLayout {
    public var classes: Int
    public var perClass: Int
    public var seed: UInt64
    public var style: SamplePhotoStyle

    public init(classes: Int, perClass: Int, seed: UInt64, style: SamplePhotoStyle = SamplePhotoStyle()) {
        precondition(classes > 0 && perClass > 0, "a sample needs at least one class and one image per class")
        self.classes = classes
        self.perClass = perClass
        self.seed = seed
        self.style = style
    }

    /// The class name of class `i` (Food-101 names, then `class_<i>`).
    public static func className(_ i: Int) -> String {
        i < FoodNames.food101.count ? FoodNames.food101[i] : "class_\(i)"
    }

    /// Relative paths of all files, class by class.
    public var files: [String] {
        (0..<classes).flatMap { c in (0..<perClass).map { n in Self.path(classIndex: c, index: n) } }
    }

    static func path(classIndex: Int, index: Int) -> String {
        let name = className(classIndex)
        return "\(name)/\(name)_\(String(index + 1000).dropFirst()).jpg"
    }

    /// The JPEG bytes of image `index` of class `classIndex`.
    public func jpeg(classIndex: Int, index: Int) throws(ImageError) -> [UInt8] {
        try style.jpeg(item: Self.path(classIndex: classIndex, index: index), seed: seed) { size in
            SyntheticPhoto.render(classIndex: classIndex, index: index, size: size, seed: seed)
        }
    }

    public var target: SampleTarget { .folder(name: nil) }
    public var imageCount: Int { classes * perClass }

    public func entries() -> [SampleEntry] {
        (0..<classes).flatMap { c in
            [SampleEntry.directory(Self.className(c))] + (0..<perClass).map { n in
                SampleEntry.image(Self.path(classIndex: c, index: n)) { () throws(ImageError) in try jpeg(classIndex: c, index: n) }
            }
        }
    }
}
