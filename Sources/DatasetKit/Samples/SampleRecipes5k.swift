/// `dataset sample recipes5k`: a `Recipes5k.zip` in the real archive's layout:
///
///     Recipes5k/images/<class>/<n>_<slug>_hostedLargeUrl.jpg
///     Recipes5k/annotations/{train,val,test}_images.txt    paths relative to images/
///     Recipes5k/annotations/{train,val,test}_labels.txt    a 0-based line index per image
///     Recipes5k/annotations/ingredients_Recipes5k.txt      raw lines, comma-joined (CRLF)
///     Recipes5k/annotations/ingredients_simplified_Recipes5k.txt   tokens, comma-joined (CRLF)
///     Recipes5k/annotations/classes_Recipes5k.txt          the class of each index line
///
/// One recipe per image; the label indexes the three parallel files. Classes are Food-101's
/// (as in the real dataset), each split about 70/15/15 into train, val and test. The
/// ingredient files use CRLF line endings, as the real ones do, so readers meet them.
public struct SampleRecipes5k: SampleLayout {
    public static let archiveName = "Recipes5k.zip"
    public static let maxClasses = FoodNames.food101.count
    /// Each of the three splits needs an image per class.
    public static let minPerClass = 3
    public static let maxPerClass = 10_000

    public var classes: Int
    public var perClass: Int
    public var seed: UInt64
    public var style: SamplePhotoStyle

    public init(classes: Int, perClass: Int, seed: UInt64, style: SamplePhotoStyle = SamplePhotoStyle()) {
        precondition((1...Self.maxClasses).contains(classes), "Recipes5k has 1-\(Self.maxClasses) classes")
        precondition((Self.minPerClass...Self.maxPerClass).contains(perClass), "per class: \(Self.minPerClass)-\(Self.maxPerClass)")
        self.classes = classes
        self.perClass = perClass
        self.seed = seed
        self.style = style
    }

    public var target: SampleTarget { .archive(name: Self.archiveName, format: .zip(.store)) }
    public var imageCount: Int { classes * perClass }

    public enum Split: String, Sendable, CaseIterable { case train, val, test }

    /// Images per class in val and in test: 15% each, rounded, at least one.
    public var heldOutPerClass: Int { max(1, (perClass * 15 + 50) / 100) }

    /// One recipe (and its one image).
    public struct Recipe: Sendable {
        /// Line of the recipe in the parallel annotation files.
        public var line: Int
        public var classIndex: Int
        public var index: Int
        /// Path below `images/`.
        public var imagePath: String
        public var split: Split
        /// (raw line, simplified token) per ingredient.
        public var ingredients: [(raw: String, token: String)]
    }

    /// Every recipe, class by class, in annotation-line order.
    public func recipes() -> [Recipe] {
        let slugWords = ["classic", "easy", "best", "homemade", "grandmas", "quick", "simple", "rustic",
                         "perfect", "healthy", "spicy", "crispy", "one_pot", "weeknight", "einkorn"]
        let held = heldOutPerClass
        var recipes: [Recipe] = []
        for c in 0..<classes {
            let name = FoodNames.food101[c]
            var rng = SeededGenerator(seed: seed, item: "Recipes5k/" + name)
            let order = SampleDraw.shuffled(Array(0..<perClass), using: &rng)
            var split = [Split](repeating: .train, count: perClass)
            for n in order.prefix(held) { split[n] = .val }
            for n in order.dropFirst(held).prefix(held) { split[n] = .test }
            for n in 0..<perClass {
                let slug = slugWords[SampleDraw.index(below: slugWords.count, using: &rng)] + "_" + name
                recipes.append(Recipe(line: recipes.count, classIndex: c, index: n,
                                      imagePath: "\(name)/\(n)_\(slug)_hostedLargeUrl.jpg", split: split[n],
                                      ingredients: RecipeIngredients.recipe(classIndex: c, using: &rng)))
            }
        }
        return recipes
    }

    public func entries() -> [SampleEntry] {
        let recipes = recipes(), root = "Recipes5k/", notes = root + "annotations/"
        let (seed, style) = (seed, style)
        var entries: [SampleEntry] = [.directory(root), .directory(notes), .directory(root + "images")]
        entries += FoodNames.food101.prefix(classes).map { .directory(root + "images/" + $0) }
        for recipe in recipes {
            entries.append(.image(root + "images/" + recipe.imagePath) { () throws(ImageError) in
                try style.jpeg(item: "Recipes5k/" + recipe.imagePath, seed: seed) { size in
                    SyntheticPhoto.render(classIndex: recipe.classIndex, index: recipe.index, size: size, seed: seed)
                }
            })
        }
        entries.append(.text(notes + "classes_Recipes5k.txt", lines: recipes.map { FoodNames.food101[$0.classIndex] }))
        entries.append(.text(notes + "ingredients_Recipes5k.txt",
                             lines: recipes.map { $0.ingredients.map(\.raw).joined(separator: ",") }, crlf: true))
        entries.append(.text(notes + "ingredients_simplified_Recipes5k.txt",
                             lines: recipes.map { $0.ingredients.map(\.token).joined(separator: ",") }, crlf: true))
        for split in Split.allCases {
            let members = recipes.filter { $0.split == split }
            entries.append(.text(notes + "\(split.rawValue)_images.txt", lines: members.map(\.imagePath)))
            entries.append(.text(notes + "\(split.rawValue)_labels.txt", lines: members.map { String($0.line) }))
        }
        return entries.sortedByPath()
    }
}
