import Foundation

/// A `Tests/NeuralKitTests/Fixtures/keras-graphs/<backbone>.json` file, written by
/// `bench/keras_backbone_tables.py`: every layer of the with-top model in `model.layers` order,
/// with its class, inbound layers, output shape (without the batch), weight shapes and the
/// settings of its class (`settings`).
struct KerasGraphFixture: Decodable {
    struct Layer: Decodable {
        let name: String
        let kerasClass: String
        let inbound: [String]
        let outputShape: [Int]
        let weights: [[Int]]?
        /// The class's settings the fixture records (absent ones are nil).
        let settings: Settings

        enum CodingKeys: String, CodingKey {
            case name, inbound, weights
            case kerasClass = "class"
            case outputShape = "output_shape"
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            kerasClass = try c.decode(String.self, forKey: .kerasClass)
            inbound = try c.decode([String].self, forKey: .inbound)
            outputShape = try c.decode([Int].self, forKey: .outputShape)
            weights = try c.decodeIfPresent([[Int]].self, forKey: .weights)
            settings = try Settings(from: decoder)
        }
    }

    /// A layer's configuration as Keras reports it (`get_config()` names, snake case in the file).
    struct Settings: Decodable {
        let filters: Int?
        let kernelSize: [Int]?
        let strides: [Int]?
        /// Conv2D, DepthwiseConv2D, pooling: `same` or `valid`.
        let padding: String?
        /// ZeroPadding2D: `[[top, bottom], [left, right]]`.
        let paddingSides: [[Int]]?
        let dilationRate: [Int]?
        let groups: Int?
        let depthMultiplier: Int?
        let useBias: Bool?
        let activation: String?
        let epsilon: Double?
        let momentum: Double?
        let center: Bool?
        let scale: Bool?
        let axis: Int?
        let poolSize: [Int]?
        let units: Int?
        let maxValue: Double?
        let negativeSlope: Double?
        let threshold: Double?
        let keepdims: Bool?
        let dataFormat: String?

        enum CodingKeys: String, CodingKey {
            case filters, strides, padding, groups, activation, epsilon, momentum, center, scale, axis, units, threshold, keepdims
            case kernelSize = "kernel_size", dilationRate = "dilation_rate", depthMultiplier = "depth_multiplier", useBias = "use_bias"
            case poolSize = "pool_size", maxValue = "max_value", negativeSlope = "negative_slope", dataFormat = "data_format"
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            filters = try c.decodeIfPresent(Int.self, forKey: .filters)
            kernelSize = try c.decodeIfPresent([Int].self, forKey: .kernelSize)
            strides = try c.decodeIfPresent([Int].self, forKey: .strides)
            // One key, two meanings: a mode for convolutions and pooling, sides for ZeroPadding2D.
            if let sides = try? c.decodeIfPresent([[Int]].self, forKey: .padding) {
                (padding, paddingSides) = (nil, sides)
            } else {
                (padding, paddingSides) = (try c.decodeIfPresent(String.self, forKey: .padding), nil)
            }
            dilationRate = try c.decodeIfPresent([Int].self, forKey: .dilationRate)
            groups = try c.decodeIfPresent(Int.self, forKey: .groups)
            depthMultiplier = try c.decodeIfPresent(Int.self, forKey: .depthMultiplier)
            useBias = try c.decodeIfPresent(Bool.self, forKey: .useBias)
            activation = try c.decodeIfPresent(String.self, forKey: .activation)
            epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon)
            momentum = try c.decodeIfPresent(Double.self, forKey: .momentum)
            center = try c.decodeIfPresent(Bool.self, forKey: .center)
            scale = try c.decodeIfPresent(Bool.self, forKey: .scale)
            axis = try c.decodeIfPresent(Int.self, forKey: .axis)
            poolSize = try c.decodeIfPresent([Int].self, forKey: .poolSize)
            units = try c.decodeIfPresent(Int.self, forKey: .units)
            maxValue = try c.decodeIfPresent(Double.self, forKey: .maxValue)
            negativeSlope = try c.decodeIfPresent(Double.self, forKey: .negativeSlope)
            threshold = try c.decodeIfPresent(Double.self, forKey: .threshold)
            keepdims = try c.decodeIfPresent(Bool.self, forKey: .keepdims)
            dataFormat = try c.decodeIfPresent(String.self, forKey: .dataFormat)
        }
    }

    let layers: [Layer]
    let topOnly: [String]
    /// The last layer of the model built with `include_top=False`.
    let notopOutput: String
    /// `[height, width, channels]` of the with-top model's input.
    let inputShape: [Int]

    enum CodingKeys: String, CodingKey {
        case layers
        case topOnly = "top_only"
        case notopOutput = "notop_output"
        case inputShape = "input_shape"
    }

    init(_ backbone: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras-graphs/\(backbone).json")
        self = try JSONDecoder().decode(KerasGraphFixture.self, from: Data(contentsOf: url))
    }
}
