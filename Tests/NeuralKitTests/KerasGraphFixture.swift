import Foundation

/// A `Tests/NeuralKitTests/Fixtures/keras-graphs/<backbone>.json` file, written by
/// `bench/keras_backbone_tables.py`: the fields every layer has.
/// The other config fields (filters, strides, padding, epsilon, ...) are there for tests to read too.
struct KerasGraphFixture: Decodable {
    struct Layer: Decodable {
        let name: String
        let kerasClass: String
        let inbound: [String]
        let outputShape: [Int]
        let weights: [[Int]]?

        enum CodingKeys: String, CodingKey {
            case name, inbound, weights
            case kerasClass = "class"
            case outputShape = "output_shape"
        }
    }

    let layers: [Layer]
    let topOnly: [String]

    enum CodingKeys: String, CodingKey {
        case layers
        case topOnly = "top_only"
    }

    init(_ backbone: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras-graphs/\(backbone).json")
        self = try JSONDecoder().decode(KerasGraphFixture.self, from: Data(contentsOf: url))
    }
}
