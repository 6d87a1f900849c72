/// The layers a transfer-learning model puts between a backbone and its classifier, written as
/// the tutorials build them: `"avg"` (global average pooling, Keras' `pooling='avg'`: the
/// default), `"flatten, dense 519 relu, dropout 0.5"` (the fruits tutorial on VGG16),
/// `"avg, dense 256 relu, dropout 0.2"`. Layers, comma-separated: `avg` (or
/// `global_average_pool`), `max` (`global_max_pool`), `flatten`, `dense UNITS [relu|relu6|
/// leaky_relu|linear]`, `dropout RATE`. The classifier (one unit per class) always follows.
public struct TransferHead: Sendable, Hashable, CustomStringConvertible {
    public var layers: [LayerSpec]

    public static let `default` = TransferHead(layers: [.globalAveragePool])

    public init(layers: [LayerSpec]) { self.layers = layers }

    /// Parses the short syntax; errors name the piece that is wrong and what is accepted.
    public init(parsing text: String) throws(ModelError) {
        var layers: [LayerSpec] = []
        for piece in text.split(separator: ",") {
            let words = piece.split(separator: " ").map { $0.lowercased() }
            guard let first = words.first else { continue }
            func fail(_ why: String) -> ModelError {
                .shape("--head: '\(piece.trimmingCharacters(in: .whitespaces))' \(why); layers are avg, max, flatten, "
                       + "dense UNITS [relu|relu6|leaky_relu|linear] and dropout RATE, separated by commas")
            }
            switch first {
            case "avg", "global_average_pool", "gap":
                guard words.count == 1 else { throw fail("takes no value") }
                layers.append(.globalAveragePool)
            case "max", "global_max_pool", "gmp":
                guard words.count == 1 else { throw fail("takes no value") }
                layers.append(.globalMaxPool)
            case "flatten":
                guard words.count == 1 else { throw fail("takes no value") }
                layers.append(.flatten)
            case "dense":
                guard (2...3).contains(words.count), let units = Int(words[1]), (1...ModelLimits.maxWidth).contains(units) else {
                    throw fail("needs a number of units (1-\(ModelLimits.maxWidth)) and may name an activation")
                }
                var activation: ActivationFunction?
                if words.count == 3, words[2] != "linear" {
                    guard let function = ActivationFunction(name: words[2], negativeSlope: nil) else { throw fail("names an unknown activation") }
                    activation = function
                }
                layers.append(.dense(units: units, activation: activation))
            case "dropout":
                guard words.count == 2, let rate = Double(words[1]), rate >= 0, rate < 1 else { throw fail("needs a rate in [0, 1)") }
                layers.append(.dropout(rate: rate))
            default:
                throw fail("is not a layer")
            }
        }
        guard !layers.isEmpty else { throw .shape("--head is empty; give at least one layer (e.g. avg)") }
        self.layers = layers
    }

    public var description: String {
        layers.map { layer in
            switch layer {
            case .globalAveragePool: "avg"
            case .globalMaxPool: "max"
            case .flatten: "flatten"
            case .dense(let units, let activation): "dense \(units)" + (activation.map { " \($0.name)" } ?? "")
            case .dropout(let rate): "dropout \(rate)"
            default: layer.type
            }
        }.joined(separator: ", ")
    }
}

extension Backbone {
    /// A classifier on this backbone (without its ImageNet top) for `height` x `width` images:
    /// the backbone's layers, frozen unless `trainable`, then `head`, then a dense layer of
    /// `classes` units. The head's layers are named `head_<type>_<n>` and the classifier
    /// `classifier`, apart from every backbone name (and from the ImageNet top's `predictions`,
    /// which a with-top weight file would otherwise fill).
    public func transferSpec(height: Int, width: Int, head: TransferHead, classes: Int, output: ModelSpec.Head,
                             trainable: Bool = false) throws(ModelError) -> ModelSpec {
        var spec = try self.spec(height: height, width: width, includeTop: false, pooling: .none)
        for i in spec.layers.indices { spec.layers[i].trainable = trainable }
        var counts: [String: Int] = [:]
        var previous = spec.layers.last!.name!
        for layer in head.layers {
            counts[layer.type, default: 0] += 1
            let name = "head_\(layer.type)_\(counts[layer.type]!)"
            spec.layers.append(ModelNode(layer, name: name, inputs: [previous]))
            previous = name
        }
        spec.layers.append(ModelNode(.dense(units: classes, activation: nil), name: "classifier", inputs: [previous]))
        spec.name = "\(rawValue)-transfer"
        spec.head = output
        return spec
    }
}

import Foundation
