/// Ingredient lists for the Recipes5k sample: each recipe draws its class's signature
/// ingredients plus a few pantry staples, and writes them the two ways Recipes5k does: raw
/// lines ("2 cups all-purpose flour") and simplified tokens ("flour").
enum RecipeIngredients {
    /// A simplified token and how a recipe spells it out (unit, then the words after the amount).
    struct Ingredient {
        let token: String
        let unit: String
        let words: String
    }

    static let vocabulary: [String: Ingredient] = {
        let rows: [(String, String, String)] = [
            ("apple", "", "Granny Smith apples peeled and sliced"), ("flour", "cups", "all-purpose flour"),
            ("butter", "tablespoons", "unsalted butter"), ("sugar", "cup", "granulated sugar"),
            ("cinnamon", "teaspoon", "ground cinnamon"), ("pork ribs", "pounds", "baby back pork ribs"),
            ("barbecue sauce", "cup", "barbecue sauce"), ("brown sugar", "tablespoons", "packed brown sugar"),
            ("paprika", "teaspoons", "smoked paprika"), ("garlic", "cloves", "garlic minced"),
            ("phyllo", "package", "phyllo dough thawed"), ("walnuts", "cup", "chopped walnuts"),
            ("honey", "cup", "honey"), ("beef", "pound", "beef tenderloin"),
            ("olive oil", "tablespoons", "extra-virgin olive oil"), ("lemon", "", "lemon juiced"),
            ("parmesan", "cup", "shaved Parmesan cheese"), ("arugula", "cups", "baby arugula"),
            ("egg yolk", "", "large egg yolks"), ("capers", "tablespoons", "capers drained"),
            ("shallot", "", "shallot finely chopped"), ("mustard", "teaspoons", "Dijon mustard"),
            ("beets", "", "medium beets roasted"), ("goat cheese", "ounces", "crumbled goat cheese"),
            ("vinegar", "tablespoons", "red wine vinegar"), ("yeast", "teaspoons", "active dry yeast"),
            ("milk", "cup", "whole milk"), ("powdered sugar", "cup", "powdered sugar"),
            ("rice", "cups", "cooked short-grain rice"), ("spinach", "cups", "fresh spinach"),
            ("egg", "", "large eggs"), ("gochujang", "tablespoons", "gochujang"),
            ("bread", "cups", "day-old bread cubes"), ("raisins", "cup", "raisins"),
            ("tortillas", "", "flour tortillas"), ("potatoes", "", "russet potatoes diced"),
            ("cheese", "cup", "shredded cheddar cheese"), ("salsa", "cup", "tomato salsa"),
            ("tomatoes", "", "ripe tomatoes chopped"), ("basil", "cup", "fresh basil leaves"),
            ("romaine", "head", "romaine lettuce"), ("croutons", "cups", "garlic croutons"),
            ("anchovies", "", "anchovy fillets"), ("ricotta", "cups", "whole-milk ricotta"),
            ("chocolate chips", "cup", "mini chocolate chips"), ("mozzarella", "ounces", "fresh mozzarella sliced"),
            ("balsamic vinegar", "tablespoons", "balsamic vinegar"), ("carrots", "cups", "grated carrots"),
            ("cream cheese", "ounces", "cream cheese softened"), ("fish", "pound", "firm white fish diced"),
            ("lime", "", "limes juiced"), ("onion", "", "red onion thinly sliced"),
            ("cilantro", "cup", "chopped cilantro"), ("chili", "", "serrano chili minced"),
            ("graham crackers", "cups", "graham cracker crumbs"), ("crackers", "cups", "assorted crackers"),
            ("grapes", "cup", "red grapes"), ("nuts", "cup", "mixed nuts"),
            ("chicken", "pounds", "boneless chicken thighs"), ("curry powder", "tablespoons", "curry powder"),
            ("coconut milk", "can", "coconut milk"), ("peppers", "", "bell peppers sliced"),
            ("salt", "teaspoon", "kosher salt"), ("pepper", "teaspoon", "ground black pepper"),
            ("vegetable oil", "tablespoons", "vegetable oil"), ("water", "cups", "water"),
            ("cream", "cup", "heavy cream"), ("vanilla", "teaspoon", "vanilla extract"),
            ("soy sauce", "tablespoons", "soy sauce"), ("ginger", "tablespoon", "fresh ginger grated"),
            ("scallions", "", "scallions sliced"), ("parsley", "cup", "chopped parsley"),
        ]
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.0, Ingredient(token: $0.0, unit: $0.1, words: $0.2)) })
    }()

    /// Signature ingredients of the first Food-101 classes (in Food-101 order).
    static let signatures: [[String]] = [
        ["apple", "flour", "butter", "sugar", "cinnamon"],
        ["pork ribs", "barbecue sauce", "brown sugar", "paprika", "garlic"],
        ["phyllo", "walnuts", "honey", "butter", "cinnamon"],
        ["beef", "olive oil", "lemon", "parmesan", "arugula"],
        ["beef", "egg yolk", "capers", "shallot", "mustard"],
        ["beets", "goat cheese", "walnuts", "arugula", "vinegar"],
        ["flour", "yeast", "sugar", "milk", "powdered sugar"],
        ["rice", "beef", "spinach", "egg", "gochujang"],
        ["bread", "milk", "egg", "sugar", "raisins"],
        ["tortillas", "egg", "potatoes", "cheese", "salsa"],
        ["bread", "tomatoes", "basil", "garlic", "olive oil"],
        ["romaine", "parmesan", "croutons", "anchovies", "lemon"],
        ["ricotta", "flour", "sugar", "chocolate chips", "cinnamon"],
        ["tomatoes", "mozzarella", "basil", "olive oil", "balsamic vinegar"],
        ["carrots", "flour", "sugar", "cream cheese", "walnuts"],
        ["fish", "lime", "onion", "cilantro", "chili"],
        ["cream cheese", "graham crackers", "sugar", "egg", "butter"],
        ["cheese", "crackers", "grapes", "honey", "nuts"],
        ["chicken", "curry powder", "coconut milk", "onion", "garlic"],
        ["tortillas", "chicken", "cheese", "peppers", "salsa"],
    ]

    static let staples = ["salt", "pepper", "vegetable oil", "water", "cream", "vanilla", "soy sauce", "ginger",
                          "scallions", "parsley"]

    /// The signature of any class: hand-written for the first ones, then five ingredients
    /// picked from the vocabulary by class index, so every class keeps its own character.
    static func signature(classIndex: Int) -> [String] {
        if classIndex < signatures.count { return signatures[classIndex] }
        let tokens = vocabulary.keys.sorted()
        return (0..<5).map { tokens[(classIndex * 7 + $0 * 13) % tokens.count] }
    }

    /// One recipe's ingredients as (raw line, simplified token), in recipe order. A token may
    /// appear twice ("1 cup butter" for the crust, "2 tablespoons butter" for the top), as in
    /// the real lists.
    static func recipe(classIndex: Int, using rng: inout SeededGenerator) -> [(raw: String, token: String)] {
        var tokens = signature(classIndex: classIndex)
        for _ in 0..<(1 + SampleDraw.index(below: 3, using: &rng)) {
            tokens.append(staples[SampleDraw.index(below: staples.count, using: &rng)])
        }
        if rng.unit() < 0.3 { tokens.append(tokens[SampleDraw.index(below: tokens.count, using: &rng)]) }
        let amounts = ["1", "2", "3", "1/2", "1/4", "3/4", "1 1/2", "4"]
        return tokens.map { token in
            let ingredient = vocabulary[token]!
            let amount = amounts[SampleDraw.index(below: amounts.count, using: &rng)]
            let raw = ingredient.unit.isEmpty ? "\(amount) \(ingredient.words)" : "\(amount) \(ingredient.unit) \(ingredient.words)"
            return (raw, token)
        }
    }
}
