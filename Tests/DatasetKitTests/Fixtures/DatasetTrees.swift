import Foundation
@testable import DatasetKit

/// Small Food-101, Recipes5k and class-folder trees written on the fly. `split` never decodes
/// images, so each "image" holds its own path as bytes: a copy can be checked byte for byte.
enum DatasetTrees {
    /// Food-101's own class order puts cheesecake before cheese_plate; sorting swaps them.
    static let foodClasses = ["apple_pie", "cheesecake", "cheese_plate", "pizza"]

    enum ListFormat { case json, text }

    /// `folder/<parent>/food-101/{images,meta}` with `train` + `test` images per class; the
    /// first `train` ids of each class are listed in train, the rest in test. Returns the
    /// path of the `food-101` folder.
    @discardableResult
    static func food101(in folder: TemporaryFolder, parent: String = "data", classes: [String] = foodClasses,
                        train: Int = 6, test: Int = 2, format: ListFormat = .json) -> String {
        let root = parent + "/food-101"
        var lists: [String: [String: [String]]] = ["train": [:], "test": [:]]
        for c in classes {
            for i in 0..<(train + test) {
                let entry = "\(c)/\(1000 + i)"
                folder.write("\(root)/images/\(entry).jpg", bytes(entry))
                lists[i < train ? "train" : "test"]![c, default: []].append(entry)
            }
        }
        // CRLF, a trailing blank line and stray spaces, as downloads have.
        folder.write("\(root)/meta/classes.txt", bytes(classes.map { " \($0) " }.joined(separator: "\r\n") + "\r\n\r\n"))
        for (split, table) in lists {
            switch format {
            case .json:
                folder.write("\(root)/meta/\(split).json", [UInt8](try! JSONSerialization.data(withJSONObject: table)))
            case .text:
                let lines = classes.flatMap { table[$0] ?? [] }
                folder.write("\(root)/meta/\(split).txt", bytes(lines.joined(separator: "\r\n") + "\r\n"))
            }
        }
        return folder.path + "/" + root
    }

    /// `folder/<parent>/Recipes5k/{images,annotations}`: per class, `perClass` images listed
    /// round-robin in train, train, val, test. Returns the `Recipes5k` folder.
    @discardableResult
    static func recipes5k(in folder: TemporaryFolder, parent: String = "data", classes: [String] = ["apple_pie", "pizza", "ramen"],
                          perClass: Int = 8) -> String {
        let root = parent + "/Recipes5k"
        var lists: [String: [String]] = [:]
        let order = ["train", "train", "val", "test"]
        for c in classes {
            for i in 0..<perClass {
                let path = "\(c)/\(i)_\(c)_hostedLargeUrl.jpg"
                folder.write("\(root)/images/\(path)", bytes(path))
                lists[order[i % 4], default: []].append(path)
            }
        }
        for (split, paths) in lists {
            folder.write("\(root)/annotations/\(split)_images.txt", bytes(paths.joined(separator: "\r\n") + "\r\n"))
        }
        // One line per recipe: classes repeat, in the dataset's order (not sorted).
        folder.write("\(root)/annotations/classes_Recipes5k.txt", bytes(classes.reversed().flatMap { [$0, $0] }.joined(separator: "\n")))
        return folder.path + "/" + root
    }

    /// `folder/<root>/<class>/<nn>.jpg`, `counts[class]` files each.
    @discardableResult
    static func classFolders(in folder: TemporaryFolder, root: String = "flowers", counts: [String: Int]) -> String {
        for (c, n) in counts {
            for i in 0..<n { folder.write("\(root)/\(c)/\(String(format: "%03d", i)).jpg", bytes("\(c)/\(i)")) }
        }
        return folder.path + "/" + root
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
