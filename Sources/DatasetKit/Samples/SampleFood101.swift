/// `dataset sample food101`: a `food-101.tar.gz` in the real archive's layout, with synthetic
/// photos instead of 5 GB of food:
///
///     food-101/README.txt
///     food-101/images/<class>/<id>.jpg          numeric ids, unique in the archive
///     food-101/meta/classes.txt                  Food-101's class order (cheesecake, cheese_plate)
///     food-101/meta/labels.txt                   "Apple pie", ...
///     food-101/meta/{train,test}.json            {"apple_pie": ["apple_pie/1005649", ...], ...}
///     food-101/meta/{train,test}.txt             apple_pie/1005649, one per line
///
/// Every entry starts with `food-101/`; each class is split 3:1 into train and test, as the
/// real 750 + 250.
public struct SampleFood101: SampleLayout {
    public static let archiveName = "food-101.tar.gz"
    public static let maxClasses = FoodNames.food101.count
    /// Both splits need an image per class.
    public static let minPerClass = 2
    /// Food-101's own 1000; ids stay unique well below that range.
    public static let maxPerClass = 1000

    public var classes: Int
    public var perClass: Int
    public var seed: UInt64
    public var style: SamplePhotoStyle

    public init(classes: Int, perClass: Int, seed: UInt64, style: SamplePhotoStyle = SamplePhotoStyle()) {
        precondition((1...Self.maxClasses).contains(classes), "Food-101 has 1-\(Self.maxClasses) classes")
        precondition((Self.minPerClass...Self.maxPerClass).contains(perClass), "per class: \(Self.minPerClass)-\(Self.maxPerClass)")
        self.classes = classes
        self.perClass = perClass
        self.seed = seed
        self.style = style
    }

    /// gzip level 1: JPEGs do not compress, so higher levels only cost time.
    public var target: SampleTarget { .archive(name: Self.archiveName, format: .tarGzip(level: 1)) }
    public var imageCount: Int { classes * perClass }

    /// Test images per class: a quarter, rounded (250 of Food-101's 1000), leaving at least
    /// one image on each side.
    public var testPerClass: Int { min(perClass - 1, max(1, (perClass + 2) / 4)) }

    /// The class names, in `classes.txt` order.
    public var classNames: [String] { Array(FoodNames.food101.prefix(classes)) }

    /// One image: its class, its number within the class, its id and split.
    public struct Image: Sendable, Hashable {
        public var classIndex: Int
        public var index: Int
        public var id: Int
        public var isTest: Bool
    }

    /// Every image, class by class. Ids are 6-7 digits like Food-101's and unique in the
    /// archive; each class's test images are a seeded random quarter.
    public func images() -> [Image] {
        var ids = SeededGenerator(seed: seed, item: "food-101/ids")
        var used = Set<Int>()
        var images: [Image] = []
        for c in 0..<classes {
            var split = SeededGenerator(seed: seed, item: "food-101/split/" + classNames[c])
            let test = Set(SampleDraw.shuffled(Array(0..<perClass), using: &split).prefix(testPerClass))
            for n in 0..<perClass {
                var id: Int
                repeat { id = 100_000 + SampleDraw.index(below: 3_900_000, using: &ids) } while !used.insert(id).inserted
                images.append(Image(classIndex: c, index: n, id: id, isTest: test.contains(n)))
            }
        }
        return images
    }

    public func entries() -> [SampleEntry] {
        let images = images(), names = classNames
        let (seed, style) = (seed, style)
        var entries: [SampleEntry] = [
            .directory("food-101"), .directory("food-101/images"), .directory("food-101/meta"),
            .text("food-101/README.txt", lines: readme),
            .text("food-101/meta/classes.txt", lines: names),
            .text("food-101/meta/labels.txt", lines: names.map(FoodNames.label)),
        ]
        entries += names.map { .directory("food-101/images/" + $0) }
        for image in images {
            let name = names[image.classIndex]
            entries.append(.image("food-101/images/\(name)/\(image.id).jpg") { () throws(ImageError) in
                try style.jpeg(item: "food-101/\(name)/\(image.id)", seed: seed) { size in
                    SyntheticPhoto.render(classIndex: image.classIndex, index: image.index, size: size, seed: seed)
                }
            })
        }
        for (split, isTest) in [("train", false), ("test", true)] {
            // Per class, sorted like the real lists.
            let lists = names.indices.map { c in
                images.filter { $0.classIndex == c && $0.isTest == isTest }.map { "\(names[c])/\($0.id)" }.sorted()
            }
            entries.append(.text("food-101/meta/\(split).txt", lines: lists.flatMap { $0 }))
            entries.append(SampleEntry(path: "food-101/meta/\(split).json",
                                       content: .file(Array(Self.json(names: names, lists: lists).utf8))))
        }
        return entries.sortedByPath()
    }

    /// `{"apple_pie": ["apple_pie/1005649", ...], ...}`, spaced as Python's `json.dump`
    /// writes it (the real files' producer), keys in class order. Names are plain ASCII.
    static func json(names: [String], lists: [[String]]) -> String {
        let members = zip(names, lists).map { name, list in
            "\"\(name)\": [" + list.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    private var readme: [String] {
        ["Synthetic sample in the layout of the Food-101 dataset, written by `dataset sample food101`.",
         "\(classes) classes, \(perClass) images each (\(perClass - testPerClass) train, \(testPerClass) test), seed \(seed).",
         "The images are generated pictures, not food photos: use this archive to try the tools.",
         "The real dataset: Bossard, Guillaumin, Van Gool, \"Food-101 - Mining Discriminative Components",
         "with Random Forests\", ECCV 2014."]
    }
}
