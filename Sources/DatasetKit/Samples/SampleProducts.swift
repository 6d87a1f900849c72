/// `dataset sample products`: the HackerEarth groceries layout, as its zip unpacks:
///
///     products/train.csv              image_id,label   (ids without extension, rows in random order)
///     products/train_img/<image_id>.png
///
/// The PNGs come in the mix a real download has: RGB, RGBA with a partly transparent
/// background (a cut-out product), and palette (indexed) images, in turn. Square, 256 px by
/// default, like the challenge's images.
public struct SampleProducts: SampleLayout {
    public static let folderName = "products"
    public static let maxClasses = FoodNames.groceries.count
    public static let maxPerClass = 10_000

    public enum ColorMode: String, Sendable, CaseIterable { case rgb, rgba, palette }

    public var classes: Int
    public var perClass: Int
    public var seed: UInt64
    /// Width and height of every image.
    public var side: Int
    /// zlib level; 1 by default, as the grainy pictures hardly compress further at higher levels.
    public var pngCompression: Int

    public init(classes: Int, perClass: Int, seed: UInt64, side: Int = 256, pngCompression: Int = 1) {
        precondition((1...Self.maxClasses).contains(classes), "the groceries have 1-\(Self.maxClasses) classes")
        precondition((1...Self.maxPerClass).contains(perClass), "per class: 1-\(Self.maxPerClass)")
        precondition(side > 0 && (0...9).contains(pngCompression))
        self.classes = classes
        self.perClass = perClass
        self.seed = seed
        self.side = side
        self.pngCompression = pngCompression
    }

    public var target: SampleTarget { .folder(name: Self.folderName) }
    public var imageCount: Int { classes * perClass }
    public var labels: [String] { Array(FoodNames.groceries.prefix(classes)) }

    /// One row of `train.csv` and its image.
    public struct Product: Sendable, Hashable {
        public var id: String
        public var classIndex: Int
        public var index: Int
        public var mode: ColorMode
    }

    /// The rows in CSV order: classes shuffled together, ids numbered in that order, colour
    /// modes in turn so every class gets all three.
    public func products() -> [Product] {
        var rng = SeededGenerator(seed: seed, item: "products/order")
        let pairs = (0..<classes).flatMap { c in (0..<perClass).map { (c, $0) } }
        return SampleDraw.shuffled(pairs, using: &rng).enumerated().map { k, pair in
            Product(id: "train_\(k + 1)", classIndex: pair.0, index: pair.1, mode: ColorMode.allCases[k % 3])
        }
    }

    /// The PNG of one product.
    public func png(_ product: Product) throws(ImageError) -> [UInt8] {
        let scene = SyntheticPhoto.scene(classIndex: product.classIndex, index: product.index, seed: seed)
        let size = PixelSize(width: side, height: side)
        switch product.mode {
        case .rgb:
            return try ImageEncoder.encode(scene.render(size: size), as: .png(compressionLevel: pngCompression))
        case .rgba:
            var rng = SeededGenerator(seed: seed, item: "products/" + product.id)
            let alpha = UInt8(SampleDraw.index(below: 97, using: &rng))
            return try ImageEncoder.encodePNG(scene.renderRGBA(size: size, backgroundAlpha: alpha),
                                              compressionLevel: pngCompression)
        case .palette:
            return try ImageEncoder.encodePNG(IndexedImage(quantizing: scene.render(size: size)),
                                              compressionLevel: pngCompression)
        }
    }

    public func entries() -> [SampleEntry] {
        let products = products(), labels = labels, root = Self.folderName + "/"
        let csv = ["image_id,label"] + products.map { "\($0.id),\(labels[$0.classIndex])" }
        var entries: [SampleEntry] = [.directory(root), .directory(root + "train_img"), .text(root + "train.csv", lines: csv)]
        for product in products {
            entries.append(.image(root + "train_img/\(product.id).png") { () throws(ImageError) in try png(product) })
        }
        return entries.sortedByPath()
    }
}
