/// Loads a Keras weight file into a backbone network: the files users already have in
/// `~/.keras/models/` (any of the three naming generations, with or without the top; a with-top
/// file serves a network without it), and Keras 3 `*.weights.h5`.
///
/// Keras itself assigns a file's weighted layers to the model's by position and checks shapes.
/// Here a layer is matched by its name where every name the network needs is in the file
/// (VGG16, ResNet50, MobileNetV2, and InceptionV3 files from a fresh Keras 3 process), and
/// otherwise by position against the backbone's `KerasWeightTable` (InceptionV3 files from older
/// Keras, whose generated names start at `conv2d_1`). Every tensor's shape is checked, and an
/// error names the layer and both shapes.
public enum KerasWeightLoading {
    /// What was loaded.
    public struct Report: Sendable, Equatable {
        public var layers: Int
        public var values: Int
        /// How the file's layers were matched to the network's.
        public var matchedBy: Matching
        /// Weighted layers of the file left unused (the classifier of a with-top file).
        public var unusedLayers: [String]
    }

    public enum Matching: String, Sendable { case name, position }

    /// The weight table of a backbone.
    public static func table(_ backbone: Backbone) -> KerasWeightTable {
        switch backbone {
        case .vgg16: .vgg16
        case .resnet50: .resNet50
        case .mobilenetV2: .mobileNetV2
        case .inceptionV3: .inceptionV3
        }
    }

    /// Sets the weights of `backbone`'s layers in `network` (built from `backbone.spec`, perhaps
    /// with a head of its own, whose layers are left alone) from `file`.
    public static func load(_ file: KerasWeightFile, backbone: Backbone, into network: Network) throws(WeightFileError) -> Report {
        let table = table(backbone)
        // The network's tensors by layer, in Keras' order within a layer (kernel, bias; gamma,
        // beta, moving mean, moving variance).
        var byLayer: [String: [StoredTensor]] = [:]
        for tensor in network.storedTensors {
            let layer = String(tensor.name[..<(tensor.name.lastIndex(of: ".") ?? tensor.name.endIndex)])
            byLayer[layer, default: []].append(tensor)
        }
        let wanted = table.entries.filter { byLayer[$0.name] != nil }
        guard !wanted.isEmpty else {
            throw WeightFileError(.missing, path: file.path, reason: "the network holds no layer of \(backbone.rawValue)")
        }
        let fileLayers = file.weightedLayers
        if fileLayers.contains(where: { $0.name == "res2a_branch2a" || $0.name == "bn2a_branch2a" }) {
            throw WeightFileError(.format, path: file.path, reason: "this is the ResNet50 file of Keras 2.2 and older (layers res2a_branch2a, ...), "
                + "an older network than keras.applications' ResNet50 that shares its file name; use the file keras.applications "
                + "downloads today (md5 4d473c1dd8becc155b73f8504c6f6626 for the notop file)")
        }
        let byName = Dictionary(fileLayers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var pairs: [(KerasWeightTable.Entry, KerasWeightFile.Layer)] = []
        let matching: Matching
        if wanted.allSatisfy({ byName[$0.name] != nil }) {
            matching = .name
            pairs = wanted.map { ($0, byName[$0.name]!) }
        } else if file.layout == .weightsH5 {
            // Those files keep no order across layer kinds: names are all there is.
            let missing = wanted.first { byName[$0.name] == nil }!
            throw WeightFileError(.missing, path: file.path, reason: "has no layer \(missing.name) of \(backbone.rawValue) "
                + "(a .weights.h5 file is matched by layer names)")
        } else {
            matching = .position
            // A notop file for a with-top network passes here, to be told apart just below.
            guard fileLayers.count == table.notopCount || fileLayers.count == table.entries.count else {
                throw WeightFileError(.format, path: file.path, reason: "holds \(fileLayers.count) layers with weights; \(backbone.rawValue) has "
                    + "\(table.notopCount) (without the top) or \(table.entries.count) (with it): is it a \(backbone.rawValue) weight file?")
            }
            let position = Dictionary(uniqueKeysWithValues: table.entries.enumerated().map { ($1.name, $0) })
            if let beyond = wanted.first(where: { position[$0.name]! >= fileLayers.count }) {
                let withTop = KerasApplicationWeights.lookup(backbone: backbone.rawValue, includeTop: true)?.fileName
                throw WeightFileError(.missing, path: file.path, reason: "holds \(backbone.rawValue) without its classifier (no \(beyond.name)); "
                    + "the ImageNet classifier needs the with-top file" + (withTop.map { ", \($0)" } ?? ""))
            }
            pairs = wanted.map { ($0, fileLayers[position[$0.name]!]) }
        }
        var values = 0
        for (entry, layer) in pairs {
            let tensors = byLayer[entry.name]!
            let shapes = layer.weights.map(\.shape)
            guard shapes == entry.shapes, shapes == tensors.map(\.savedShape) else {
                throw WeightFileError(.format, path: file.path, location: layer.path,
                                      reason: "layer \(layer.name) holds weights of shapes \(shapes); \(backbone.rawValue)'s \(entry.name) "
                                        + "(\(entry.kerasClass)) needs \(tensors.map(\.savedShape))")
            }
            for (weight, tensor) in zip(layer.weights, tensors) {
                let data = try file.values(weight)
                if let index = data.firstIndex(where: { !$0.isFinite }) {
                    throw WeightFileError(.format, path: file.path, location: weight.path, reason: "holds \(data[index]) at index \(index)")
                }
                do { try tensor.setPlainValues(data) } catch {
                    throw WeightFileError(.unreadable, path: file.path, location: weight.path, reason: "could not be set: \(error)")
                }
                values += data.count
            }
        }
        let used = Set(pairs.map { $0.1.name })
        return Report(layers: pairs.count, values: values, matchedBy: matching,
                      unusedLayers: fileLayers.map(\.name).filter { !used.contains($0) })
    }
}
