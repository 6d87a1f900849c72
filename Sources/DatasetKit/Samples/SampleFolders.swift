/// Writes a small class-folder dataset of synthetic photos (`<root>/<class>/<class>_<n>.jpg`),
/// sized and compressed like Food-101's, so every command can be tried without a download.
public struct SampleFolders: Sendable {
    /// Food-101's first classes, so samples read like the real thing.
    public static let classNames = [
        "apple_pie", "baby_back_ribs", "baklava", "beef_carpaccio", "beef_tartare", "beet_salad",
        "beignets", "bibimbap", "bread_pudding", "breakfast_burrito", "bruschetta", "caesar_salad",
    ]

    public var classes: Int
    public var perClass: Int
    public var seed: UInt64

    public init(classes: Int, perClass: Int, seed: UInt64) {
        self.classes = classes
        self.perClass = perClass
        self.seed = seed
    }

    /// The class name of class `i` (Food-101 names, then `class_<i>`).
    public static func className(_ i: Int) -> String {
        i < classNames.count ? classNames[i] : "class_\(i)"
    }

    /// Relative paths of all files, class by class.
    public var files: [String] {
        (0..<classes).flatMap { c in (0..<perClass).map { n in Self.path(classIndex: c, index: n) } }
    }

    static func path(classIndex: Int, index: Int) -> String {
        let name = className(classIndex)
        return "\(name)/\(name)_\(String(index + 1000).dropFirst()).jpg"
    }

    /// The JPEG bytes of image `index` of class `classIndex`: max side 512, quality 75-95.
    public func jpeg(classIndex: Int, index: Int) throws(ImageError) -> [UInt8] {
        var rng = SeededGenerator(seed: seed, item: Self.path(classIndex: classIndex, index: index))
        let long = 512, short = Int(rng.uniform(288...512))
        let size = rng.unit() < 0.5 ? PixelSize(width: long, height: short) : PixelSize(width: short, height: long)
        let image = SyntheticPhoto.render(classIndex: classIndex, index: index, size: size, seed: seed)
        return try ImageEncoder.encode(image, as: .jpeg(quality: 75 + Int(rng.next() % 21), subsampling: .s420))
    }
}
