import DatasetKit
import Foundation

/// How timm prepares images for a pretrained model (its `pretrained_cfg`): the input size, the
/// resize (shorter side to `size / cropPct` with `interpolation`, then the centre `size`), and
/// the normalisation `(x / 255 - mean) / std`. Read from the `config.json` timm's `save_for_hf`
/// and the Hugging Face hub put beside `model.safetensors`, or taken from `builtIn` for the
/// default pretrained tag of each backbone.
public struct TimmPretrainedConfig: Sendable, Hashable {
    /// timm's model name (`resnet50`), when the file says.
    public var architecture: String?
    /// The pretrained tag (`a1_in1k`), when the file says.
    public var tag: String?
    /// The input the weights were evaluated at (`input_size` without its channel count).
    public var inputSize: PixelSize
    /// timm's resampling filter name: `bilinear`, `bicubic`, `nearest`, ...
    public var interpolation: String
    /// The fraction of the resized shorter side the centre crop keeps (`crop_pct`).
    public var cropPct: Double
    /// `center` (resize the shorter side, cut the centre), `squash` or `border`.
    public var cropMode: String
    /// Per RGB channel, on the 0-1 scale.
    public var mean: [Double]
    public var std: [Double]

    public init(architecture: String? = nil, tag: String? = nil, inputSize: PixelSize, interpolation: String, cropPct: Double,
                cropMode: String = "center", mean: [Double], std: [Double]) {
        (self.architecture, self.tag, self.inputSize, self.interpolation, self.cropPct, self.cropMode, self.mean, self.std) =
            (architecture, tag, inputSize, interpolation, cropPct, cropMode, mean, std)
    }

    static let imageNetMean = [0.485, 0.456, 0.406], imageNetStd = [0.229, 0.224, 0.225]

    /// The `pretrained_cfg` of the tag `timm.create_model(backbone.timmName, pretrained=True)`
    /// loads in timm 1.0 (`resnet50.a1_in1k`, `mobilenetv2_100.ra_in1k`, `vgg16.tv_in1k`,
    /// `inception_v3.tv_in1k`).
    public static func builtIn(_ backbone: Backbone) -> TimmPretrainedConfig {
        let square = PixelSize(width: backbone.defaultSize, height: backbone.defaultSize)
        return switch backbone {
        case .resnet50:
            TimmPretrainedConfig(architecture: "resnet50", tag: "a1_in1k", inputSize: square, interpolation: "bicubic", cropPct: 0.95,
                                 mean: imageNetMean, std: imageNetStd)
        case .mobilenetV2:
            TimmPretrainedConfig(architecture: "mobilenetv2_100", tag: "ra_in1k", inputSize: square, interpolation: "bicubic", cropPct: 0.875,
                                 mean: imageNetMean, std: imageNetStd)
        case .vgg16:
            TimmPretrainedConfig(architecture: "vgg16", tag: "tv_in1k", inputSize: square, interpolation: "bilinear", cropPct: 0.875,
                                 mean: imageNetMean, std: imageNetStd)
        case .inceptionV3:
            TimmPretrainedConfig(architecture: "inception_v3", tag: "tv_in1k", inputSize: square, interpolation: "bicubic", cropPct: 0.875,
                                 mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])
        }
    }

    /// The configuration for the weights at `weightsPath` for `backbone`: the `config.json` in
    /// the same folder when there is one, else `builtIn(backbone)`.
    public static func forWeights(at weightsPath: String, backbone: Backbone) throws(WeightFileError) -> TimmPretrainedConfig {
        let folder = (weightsPath as NSString).deletingLastPathComponent
        let path = (folder.isEmpty ? "." : folder) + "/config.json"
        guard FileManager.default.fileExists(atPath: path) else { return builtIn(backbone) }
        let config = try read(path: path)
        if let architecture = config.architecture, Backbone(timmName: architecture) != backbone {
            throw WeightFileError(.format, path: path, location: "architecture",
                                  reason: "is \(architecture), not \(backbone.timmName): the config.json beside the weights is another model's")
        }
        return config
    }

    /// The largest `config.json` read (timm's are about 1 KB).
    static let maxFileBytes = 1 << 20

    /// timm's `config.json` at `path` (`{"architecture": ..., "pretrained_cfg": {...}}`), every
    /// field checked: errors name the file and the field.
    public static func read(path: String) throws(WeightFileError) -> TimmPretrainedConfig {
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maxFileBytes {
            throw WeightFileError(.limit, path: path, reason: "is \(info.st_size) bytes; a timm config.json is about 1 KB (at most \(maxFileBytes) are read)")
        }
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch {
            throw WeightFileError(.unreadable, path: path, reason: error.reason)
        }
        return try parse(bytes, path: path)
    }

    /// `config.json`'s bytes; `path` names it in errors.
    static func parse(_ bytes: [UInt8], path: String) throws(WeightFileError) -> TimmPretrainedConfig {
        func fail(_ field: String, _ reason: String) -> WeightFileError { WeightFileError(.format, path: path, location: field, reason: reason) }
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw WeightFileError(.format, path: path, reason: "is not a JSON object")
        }
        guard let cfg = root["pretrained_cfg"] as? [String: Any] else {
            throw fail("pretrained_cfg", "is missing or not an object: is this timm's config.json?")
        }
        let field = "pretrained_cfg."
        func numbers(_ key: String, count: Int) throws(WeightFileError) -> [Double] {
            guard let values = cfg[key] as? [Any], values.count == count, case let numbers = values.compactMap(Self.jsonNumber),
                  numbers.count == count, numbers.allSatisfy(\.isFinite) else {
                throw fail(field + key, "must be \(count) numbers")
            }
            return numbers
        }
        func text(_ key: String, allowed: Set<String>, default value: String) throws(WeightFileError) -> String {
            guard let raw = cfg[key] else { return value }
            guard let string = raw as? String, allowed.contains(string) else {
                throw fail(field + key, "is \(raw); timm's values are \(allowed.sorted().joined(separator: ", "))")
            }
            return string
        }
        let input = try numbers("input_size", count: 3)
        guard input[0] == 3 else { throw fail(field + "input_size", "has \(input[0]) channels; the backbones read RGB (3)") }
        let sides = input[1...].map(Int.init(exactly:))
        guard let height = sides[0], let width = sides[1], (1...ModelLimits.maxSide).contains(height), (1...ModelLimits.maxSide).contains(width) else {
            throw fail(field + "input_size", "sides \(input[1]) x \(input[2]) must be whole numbers of 1 to \(ModelLimits.maxSide)")
        }
        var crop = 0.875
        if let value = cfg["crop_pct"] {
            guard let number = Self.jsonNumber(value), number.isFinite else { throw fail(field + "crop_pct", "must be a number") }
            crop = number
        }
        guard crop > 0, crop <= 1 else { throw fail(field + "crop_pct", "is \(crop); it must be in (0, 1]") }
        let config = TimmPretrainedConfig(
            architecture: root["architecture"] as? String, tag: cfg["tag"] as? String,
            inputSize: PixelSize(width: width, height: height),
            interpolation: try text("interpolation", allowed: ["bilinear", "bicubic", "nearest", "lanczos", "box", "hamming"], default: "bilinear"),
            cropPct: crop, cropMode: try text("crop_mode", allowed: ["center", "squash", "border"], default: "center"),
            mean: try numbers("mean", count: 3), std: try numbers("std", count: 3))
        if let problem = config.normalization.problem { throw fail(field + "mean/std", problem) }
        return config
    }

    /// A JSON number's value; nil for anything else, `true` and `false` included (which
    /// Foundation hands out as numbers whose type code is `c`; on Linux `0 is Bool` holds).
    private static func jsonNumber(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return number.doubleValue
    }

    /// `(x / 255 - mean) / std` as a `Normalization`: `torch` for ImageNet's mean and std, `tf`
    /// for 0.5 and 0.5 (which is x / 127.5 - 1), and otherwise the numbers themselves under the
    /// kind `dataset` (statistics that are the data's, not a library's named preset).
    public var normalization: Normalization {
        if mean == Self.imageNetMean && std == Self.imageNetStd { return .torch }
        if mean == [0.5, 0.5, 0.5] && std == [0.5, 0.5, 0.5] { return .tf }
        return Normalization(kind: .dataset, scale: 1.0 / 255, mean: mean, std: std)
    }

    /// The nearest `ResizeSpec`: the shorter side scaled to cover `inputSize` and the centre cut
    /// (`crop`), bilinear unless timm says `nearest`. `resizeDifferences` lists where it is not
    /// timm's transform.
    public var resize: ResizeSpec {
        ResizeSpec(size: inputSize, mode: cropMode == "squash" ? .stretch : .crop, filter: interpolation == "nearest" ? .nearest : .bilinear)
    }

    /// How timm's eval transform differs from `resize`, one sentence each; empty when it does not.
    public var resizeDifferences: [String] {
        var differences: [String] = []
        if cropPct < 1 {
            let scaled = Int((Double(min(inputSize.width, inputSize.height)) / cropPct).rounded(.down))
            differences.append("timm scales the shorter side to \(scaled) (crop_pct \(cropPct)) before cutting the centre "
                + "\(inputSize); the crop resize scales it to \(min(inputSize.width, inputSize.height)), so it keeps more of the image")
        }
        if !["bilinear", "nearest"].contains(interpolation) {
            differences.append("timm resamples with \(interpolation); the resize is bilinear")
        }
        if cropMode == "border" { differences.append("timm's border mode fits the image inside and pads; the resize crops") }
        return differences
    }
}
