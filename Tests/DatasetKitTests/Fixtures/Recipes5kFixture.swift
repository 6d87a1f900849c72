import Foundation
@testable import DatasetKit

/// A five-recipe Recipes5k tree written on the fly: three classes, annotation files with CRLF
/// line ends, ingredient lines that repeat a token, and one file name (`1_red_miso_...`) used
/// in two classes.
enum Recipes5kFixture {
    static let images = [
        "miso_soup/0_miso_soup_hostedLargeUrl.jpg",
        "chocolate_cake/0_fudge_cake_hostedLargeUrl.jpg",
        "beef_tacos/0_street_tacos_hostedLargeUrl.jpg",
        "miso_soup/1_red_miso_hostedLargeUrl.jpg",
        "beef_tacos/1_red_miso_hostedLargeUrl.jpg",
    ]
    static let raw = [
        "2 cups dashi,1 tbsp white miso,tofu,green onions,tofu",
        "200g dark chocolate,butter,sugar,eggs,flour,butter",
        "beef,corn tortillas,onion,cilantro,lime",
        "red miso,dashi,seaweed",
        "beef,chili,red miso",
    ]
    static let simplified = [
        "dashi,miso,tofu,green onion,tofu",
        "chocolate,butter,sugar,egg,flour,butter",
        "beef,tortilla,onion,cilantro,lime",
        "miso,dashi,seaweed",
        "beef,chili,miso",
    ]
    /// The tutorial's ten tags, in its order; class keys give the dish type.
    static let mapping = """
        ingredient,label
        miso_soup,soups
        beef_tacos,mains
        spring_rolls,appetizer
        chocolate_cake,dessert
        tofu,protein
        butter,fats
        flour,carbs
        seaweed,healthy
        sugar,junk
        beef,meat
        beef,protein
        tofu,healthy
        chocolate,junk
        chocolate,dessert
        tortilla,carbs
        green onion,healthy
        egg,protein
        salt,

        """

    /// Writes `Recipes5k/` under `folder` (train: recipes 0-2 listed in reverse index order,
    /// val: 3, test: 4) and returns the path of the folder holding it.
    @discardableResult
    static func write(in folder: TemporaryFolder, jpeg: [UInt8]) -> String {
        let crlf: ([String]) -> [UInt8] = { Array($0.map { $0 + "\r\n" }.joined().utf8) }
        for image in images { folder.write("Recipes5k/images/" + image, jpeg) }
        let a = "Recipes5k/annotations/"
        // The labels are indices, not positions: train lists recipe lines 0, 1, 2 for images 0, 1, 2
        // but the ingredient files put them at lines 2, 0, 1.
        let order = [1, 2, 0, 3, 4]  // line i of the ingredient files holds recipe order[i]
        folder.write(a + "ingredients_Recipes5k.txt", crlf(order.map { raw[$0] }))
        folder.write(a + "ingredients_simplified_Recipes5k.txt", crlf(order.map { simplified[$0] }))
        folder.write(a + "classes_Recipes5k.txt", crlf(order.map { String(images[$0].split(separator: "/")[0]) }))
        let line = { (recipe: Int) in String(order.firstIndex(of: recipe)!) }
        folder.write(a + "train_images.txt", crlf(Array(images[0...2])))
        folder.write(a + "train_labels.txt", crlf([line(0), line(1), line(2)]))
        folder.write(a + "val_images.txt", Array((images[3] + "\n").utf8))
        folder.write(a + "val_labels.txt", Array((line(3) + "\n").utf8))
        folder.write(a + "test_images.txt", Array(images[4].utf8))
        folder.write(a + "test_labels.txt", Array(line(4).utf8))
        return folder.path
    }
}
