import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

/// timm's preprocessing: the built-in table against timm's own `pretrained_cfg` (the fixtures),
/// `config.json` as `save_for_hf` writes it, and what a damaged one gets.
@Suite struct TimmPretrainedConfigTests {
    /// timm 1.0.31's `save_for_hf` output for `resnet50` (the `architecture`, `model_args` and
    /// `pretrained_cfg` fields as written, a few keys left out).
    static let resnetConfig = """
        {"architecture": "resnet50", "num_classes": 1000, "num_features": 2048, "global_pool": "avg",
         "model_args": {"in_chans": 3, "num_classes": 1000, "global_pool": "avg"},
         "pretrained_cfg": {"tag": "a1_in1k", "custom_load": false, "input_size": [3, 224, 224], "test_input_size": [3, 288, 288],
          "fixed_input_size": false, "interpolation": "bicubic", "crop_pct": 0.95, "test_crop_pct": 1.0, "crop_mode": "center",
          "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "num_classes": 1000, "pool_size": [7, 7],
          "first_conv": "conv1", "classifier": "fc", "license": "apache-2.0"}}
        """

    @Test(arguments: Backbone.allCases)
    func builtInTableIsTimms(_ backbone: Backbone) throws {
        let cfg = try TimmStateDictFixture(backbone).pretrained_cfg
        let config = TimmPretrainedConfig.builtIn(backbone)
        #expect(config.tag == cfg.tag)
        #expect([3, config.inputSize.height, config.inputSize.width] == cfg.input_size)
        #expect(config.interpolation == cfg.interpolation)
        #expect(config.cropPct == cfg.crop_pct)
        #expect(config.cropMode == cfg.crop_mode)
        #expect(config.mean == cfg.mean && config.std == cfg.std)
        #expect(config.normalization.problem == nil)
    }

    @Test func readsTimmsConfigJSON() throws {
        let config = try TimmPretrainedConfig.parse(Array(Self.resnetConfig.utf8), path: "config.json")
        #expect(config == TimmPretrainedConfig.builtIn(.resnet50))
        #expect(config.normalization == .torch)
        #expect(config.resize == ResizeSpec(size: PixelSize(width: 224, height: 224), mode: .crop, filter: .bilinear))
        // 224 / 0.95 = 235.8: timm scales the shorter side to 235 before cutting 224.
        #expect(config.resizeDifferences.count == 2)
        #expect(config.resizeDifferences[0].contains("235"), "\(config.resizeDifferences)")
        #expect(config.resizeDifferences[1].contains("bicubic"))
    }

    /// 0.5 and 0.5 is Keras' `tf` scaling; other numbers keep their values (kind `dataset`).
    @Test func normalizations() {
        #expect(TimmPretrainedConfig.builtIn(.inceptionV3).normalization == .tf)
        var clip = TimmPretrainedConfig.builtIn(.vgg16)
        (clip.mean, clip.std) = ([0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711])
        let normalization = clip.normalization
        #expect(normalization.kind == .dataset && normalization.problem == nil)
        #expect(abs(Double(normalization.apply(255, channel: 2)) - (1 - 0.40821073) / 0.27577711) < 1e-6)
        #expect(TimmPretrainedConfig.builtIn(.vgg16).resizeDifferences.count == 1)
    }

    /// `config.json` beside the weights wins over the table, and another model's is refused.
    @Test func configBesideTheWeights() throws {
        let folder = TemporaryFolder()
        let weights = folder.path + "/model.safetensors"
        #expect(try TimmPretrainedConfig.forWeights(at: weights, backbone: .inceptionV3) == .builtIn(.inceptionV3))
        let custom = Self.resnetConfig.replacingOccurrences(of: "\"crop_pct\": 0.95", with: "\"crop_pct\": 1.0")
        #expect(FileManager.default.createFile(atPath: folder.path + "/config.json", contents: Data(custom.utf8)))
        #expect(try TimmPretrainedConfig.forWeights(at: weights, backbone: .resnet50).cropPct == 1.0)
        let error = #expect(throws: WeightFileError.self) { try TimmPretrainedConfig.forWeights(at: weights, backbone: .vgg16) }
        #expect(error?.location == "architecture")
        #expect(error?.description.contains("resnet50") == true)
    }

    @Test(arguments: [
        ("[1, 2]", "JSON object"),
        (#"{"architecture": "resnet50"}"#, "pretrained_cfg"),
        (resnetConfig.replacingOccurrences(of: "\"std\": [0.229, 0.224, 0.225]", with: "\"std\": [0.229, 0, 0.225]"), "std[1]"),
        (resnetConfig.replacingOccurrences(of: "\"std\": [0.229, 0.224, 0.225]", with: "\"std\": [0.229, 0.224]"), "pretrained_cfg.std"),
        (resnetConfig.replacingOccurrences(of: "\"input_size\": [3, 224, 224]", with: "\"input_size\": [4, 224, 224]"), "channels"),
        (resnetConfig.replacingOccurrences(of: "\"input_size\": [3, 224, 224]", with: "\"input_size\": [3, 224.5, 224]"), "input_size"),
        (resnetConfig.replacingOccurrences(of: "\"input_size\": [3, 224, 224]", with: "\"input_size\": [3, 1e12, 224]"), "input_size"),
        (resnetConfig.replacingOccurrences(of: "\"crop_pct\": 0.95", with: "\"crop_pct\": 0"), "crop_pct"),
        (resnetConfig.replacingOccurrences(of: "\"crop_pct\": 0.95", with: "\"crop_pct\": true"), "crop_pct"),
        (resnetConfig.replacingOccurrences(of: "\"interpolation\": \"bicubic\"", with: "\"interpolation\": \"magic\""), "interpolation"),
    ])
    func damagedConfigsAreRefused(_ text: String, _ field: String) {
        let error = #expect(throws: WeightFileError.self) { try TimmPretrainedConfig.parse(Array(text.utf8), path: "config.json") }
        #expect(error?.kind == .format)
        #expect(error?.description.contains(field) == true, "\(error?.description ?? "")")
    }

    @Test func oversizedConfigIsRefusedUnread() {
        let folder = TemporaryFolder()
        let path = folder.path + "/config.json"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, off_t(TimmPretrainedConfig.maxFileBytes + 1)) == 0)
        let error = #expect(throws: WeightFileError.self) { try TimmPretrainedConfig.read(path: path) }
        #expect(error?.kind == .limit)
    }
}
