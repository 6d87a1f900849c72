/// Class names of the real datasets the samples imitate.
public enum FoodNames {
    /// Food-101's 101 classes in the order of its `meta/classes.txt`. That order is alphabetical
    /// except that `cheesecake` comes before `cheese_plate`, where a sorted folder listing (Keras,
    /// torchvision) puts them the other way round. Recipes5k uses the same classes.
    public static let food101: [String] = [
        "apple_pie", "baby_back_ribs", "baklava", "beef_carpaccio", "beef_tartare", "beet_salad",
        "beignets", "bibimbap", "bread_pudding", "breakfast_burrito", "bruschetta", "caesar_salad",
        "cannoli", "caprese_salad", "carrot_cake", "ceviche", "cheesecake", "cheese_plate",
        "chicken_curry", "chicken_quesadilla", "chicken_wings", "chocolate_cake", "chocolate_mousse",
        "churros", "clam_chowder", "club_sandwich", "crab_cakes", "creme_brulee", "croque_madame",
        "cup_cakes", "deviled_eggs", "donuts", "dumplings", "edamame", "eggs_benedict", "escargots",
        "falafel", "filet_mignon", "fish_and_chips", "foie_gras", "french_fries", "french_onion_soup",
        "french_toast", "fried_calamari", "fried_rice", "frozen_yogurt", "garlic_bread", "gnocchi",
        "greek_salad", "grilled_cheese_sandwich", "grilled_salmon", "guacamole", "gyoza", "hamburger",
        "hot_and_sour_soup", "hot_dog", "huevos_rancheros", "hummus", "ice_cream", "lasagna",
        "lobster_bisque", "lobster_roll_sandwich", "macaroni_and_cheese", "macarons", "miso_soup",
        "mussels", "nachos", "omelette", "onion_rings", "oysters", "pad_thai", "paella", "pancakes",
        "panna_cotta", "peking_duck", "pho", "pizza", "pork_chop", "poutine", "prime_rib",
        "pulled_pork_sandwich", "ramen", "ravioli", "red_velvet_cake", "risotto", "samosa", "sashimi",
        "scallops", "seaweed_salad", "shrimp_and_grits", "spaghetti_bolognese", "spaghetti_carbonara",
        "spring_rolls", "steak", "strawberry_shortcake", "sushi", "tacos", "takoyaki", "tiramisu",
        "tuna_tartare", "waffles",
    ]

    /// The human name Food-101's `meta/labels.txt` gives a class: `apple_pie` → `Apple pie`.
    public static func label(_ className: String) -> String {
        let spaced = className.replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }

    /// The 25 product classes of the Freiburg Groceries images behind HackerEarth's
    /// "identify the product" challenge.
    public static let groceries: [String] = [
        "Beans", "Cake", "Candy", "Cereal", "Chips", "Chocolate", "Coffee", "Corn", "Fish", "Flour",
        "Honey", "Jam", "Juice", "Milk", "Nuts", "Oil", "Pasta", "Rice", "Soda", "Spices", "Sugar",
        "Tea", "Tomato_Sauce", "Vinegar", "Water",
    ]

    /// The ten tags of the multi-label food tutorial (Nanonets layout).
    public static let foodTags: [String] = [
        "soups", "mains", "appetizer", "dessert", "protein", "fats", "carbs", "healthy", "junk", "meat",
    ]
}
