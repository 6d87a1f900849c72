/// `dataset sample multilabel`: multi-label images in the Nanonets layout:
///
///     multilabel/ImageSets/<stem>.jpg
///     multilabel/Annotations/<stem>.txt     the image's label names, one per line
///     multilabel/classes.txt                the tags, one per line
///     multilabel/labels.csv                 filename,<tag1>,<tag2>,...  with 0/1
///
/// Each image has 1-3 of the multi-label food tutorial's tags, and shows each of its tags as
/// that tag's own shape in that tag's own colour on a greyish background, so a multi-label
/// CNN can learn them. Every tag is the first label of `perClass` images.
public struct SampleMultiLabel: SampleLayout {
    public static let folderName = "multilabel"
    public static let maxClasses = FoodNames.foodTags.count
    public static let maxPerClass = 10_000

    public var classes: Int
    public var perClass: Int
    public var seed: UInt64
    public var style: SamplePhotoStyle

    public init(classes: Int, perClass: Int, seed: UInt64, style: SamplePhotoStyle = SamplePhotoStyle()) {
        precondition((1...Self.maxClasses).contains(classes), "1-\(Self.maxClasses) tags")
        precondition((1...Self.maxPerClass).contains(perClass), "per class: 1-\(Self.maxPerClass)")
        self.classes = classes
        self.perClass = perClass
        self.seed = seed
        self.style = style
    }

    public var target: SampleTarget { .folder(name: Self.folderName) }
    public var imageCount: Int { classes * perClass }
    public var tags: [String] { Array(FoodNames.foodTags.prefix(classes)) }

    /// The file stem of image `i`: `00001`, ...
    public func stem(_ i: Int) -> String {
        let digits = max(5, String(imageCount).count)
        let number = String(i + 1)
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The tag indices of every image, ascending: image `i` has tag `i % classes` and up to
    /// two more.
    public func labels() -> [[Int]] {
        (0..<imageCount).map { i in
            var rng = SeededGenerator(seed: seed, item: "multilabel/labels", index: i)
            var tags = [i % classes]
            let extra = min(classes - 1, [0, 0, 1, 1, 2][SampleDraw.index(below: 5, using: &rng)])
            let others = SampleDraw.shuffled((0..<classes).filter { $0 != i % classes }, using: &rng)
            tags += others.prefix(extra)
            return tags.sorted()
        }
    }

    /// The look of tag `t`: one of five shapes and one of ten hues (0.1 of a turn apart), so
    /// no two of the ten tags look alike.
    public static func tagLook(_ t: Int) -> (kind: SyntheticScene.ShapeKind, hue: Double) {
        (SyntheticScene.ShapeKind.allCases[t % 5], Double(t % 10) * 0.1)
    }

    /// Image `i` showing `labels`, each in its own quadrant.
    static func scene(labels: [Int], index i: Int, seed: UInt64) -> SyntheticScene {
        var rng = SeededGenerator(seed: seed, item: "multilabel/scene", index: i)
        let background = SyntheticScene.color(hue: rng.unit(), saturation: 0.12, value: rng.uniform(0.6...0.8))
        let cells: [SIMD2<Double>] = SampleDraw.shuffled([[0.27, 0.27], [0.73, 0.27], [0.27, 0.73], [0.73, 0.73]], using: &rng)
        let shapes = labels.enumerated().map { k, tag in
            let look = tagLook(tag)
            let jitter = SIMD2(rng.uniform(-0.05...0.05), rng.uniform(-0.05...0.05))
            return SyntheticScene.Shape(kind: look.kind, color: SyntheticScene.color(hue: look.hue, saturation: 0.85, value: 0.9),
                                        center: cells[k] + jitter, radius: rng.uniform(0.12...0.16),
                                        angle: rng.uniform(0...Double.pi), frequency: rng.uniform(8...12))
        }
        return SyntheticScene(background: background, shapes: shapes, light: rng.uniform(0.85...1.1),
                              gradient: SIMD2(rng.uniform(-0.2...0.2), rng.uniform(-0.2...0.2)),
                              grainFrequency: rng.uniform(6...14), noiseSeed: rng.next())
    }

    public func entries() -> [SampleEntry] {
        let labels = labels(), tags = tags, root = Self.folderName + "/"
        let (seed, style) = (seed, style)
        var entries: [SampleEntry] = [
            .directory(root), .directory(root + "Annotations"), .directory(root + "ImageSets"),
            .text(root + "classes.txt", lines: tags),
        ]
        var csv = ["filename," + tags.joined(separator: ",")]
        for (i, imageLabels) in labels.enumerated() {
            let stem = stem(i)
            entries.append(.text(root + "Annotations/\(stem).txt", lines: imageLabels.map { tags[$0] }))
            entries.append(.image(root + "ImageSets/\(stem).jpg") { () throws(ImageError) in
                try style.jpeg(item: "multilabel/" + stem, seed: seed) { size in
                    Self.scene(labels: imageLabels, index: i, seed: seed).render(size: size)
                }
            })
            csv.append("\(stem).jpg," + tags.indices.map { imageLabels.contains($0) ? "1" : "0" }.joined(separator: ","))
        }
        entries.append(.text(root + "labels.csv", lines: csv))
        return entries.sortedByPath()
    }
}
