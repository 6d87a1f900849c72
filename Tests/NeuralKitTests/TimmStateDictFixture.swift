import Foundation
@testable import NeuralKit

/// A `Tests/NeuralKitTests/Fixtures/timm/<name>.json` file, written by
/// `bench/timm_state_dicts.py` from timm 1.0 itself: the keys of
/// `timm.create_model(name).state_dict()` in order with dtype and shape, and the model's default
/// `pretrained_cfg`.
struct TimmStateDictFixture: Decodable {
    struct Key: Decodable {
        let name: String
        /// PyTorch's dtype name: `float32`, or `int64` for `num_batches_tracked`.
        let dtype: String
        let shape: [Int]

        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            name = try c.decode(String.self)
            dtype = try c.decode(String.self)
            shape = try c.decode([Int].self)
        }
    }

    struct Config: Decodable {
        let tag: String
        let input_size: [Int]
        let interpolation: String
        let crop_pct: Double
        let crop_mode: String
        let mean: [Double]
        let std: [Double]
    }

    let architecture: String
    let pretrained_cfg: Config
    let keys: [Key]

    init(_ backbone: Backbone) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/timm/\(backbone.timmName).json")
        self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: url))
    }

    /// The classifier's keys (`fc.*`; `classifier.*`; VGG16's `pre_logits.*` and `head.*`).
    var headKeys: Set<String> {
        let prefixes = ["fc.", "classifier.", "pre_logits.", "head."]
        return Set(keys.map(\.name).filter { name in prefixes.contains { name.hasPrefix($0) } })
    }

    /// The float tensors, or those of the backbone without its classifier.
    func floatKeys(includeTop: Bool) -> [Key] {
        let head = headKeys
        return keys.filter { $0.dtype == "float32" && (includeTop || !head.contains($0.name)) }
    }
}
