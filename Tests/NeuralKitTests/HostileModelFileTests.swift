import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

/// `model.json` and `weights.safetensors` are input like any other file: every number in them
/// is checked on load, with an error naming the file and the field, before anything is built.
@Suite struct HostileModelFileTests {
    /// A small-cnn for 8x8 RGB images and 3 classes, saved with random weights; returns its folder.
    static func savedModel() throws -> TemporaryFolder {
        let folder = TemporaryFolder()
        let spec = ModelArchitecture.smallCNN.spec(input: .image(height: 8, width: 8, channels: 3), classes: 3, head: .softmax)
        let network = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1))
        let data = DatasetDescription(classes: ["a", "b", "c"], multiLabel: false, input: spec.input, normalization: .rescale,
                                      element: .uint8, resize: ResizeSpec(size: PixelSize(width: 8, height: 8)))
        try ModelFile.save(network, document: ModelDocument(architecture: spec, data: data), to: folder.path)
        return folder
    }

    /// Rewrites `model.json` in `folder` through `change` on its JSON object.
    static func edit(_ folder: TemporaryFolder, _ change: (inout [String: Any]) -> Void) throws {
        let path = folder.path + "/" + ModelFile.documentName
        var json = try #require(try JSONSerialization.jsonObject(with: Data(try FileIO.read(path))) as? [String: Any])
        change(&json)
        try FileIO.writeAtomically(Array(try JSONSerialization.data(withJSONObject: json)), to: path)
    }

    /// `json[a][b]... = value` along `path` (strings for keys, ints for array indices); a nil
    /// value removes an array element.
    static func set(_ json: inout [String: Any], _ path: [Any], _ value: Any?) {
        func update(_ node: Any, _ rest: ArraySlice<Any>) -> Any? {
            guard let key = rest.first else { return value }
            if var array = node as? [Any], let index = key as? Int {
                if rest.count == 1 && value == nil { array.remove(at: index) } else { array[index] = update(array[index], rest.dropFirst())! }
                return array
            }
            var object = node as! [String: Any]
            object[key as! String] = update(object[key as! String] as Any, rest.dropFirst())
            return object
        }
        json = update(json, path[...]) as! [String: Any]
    }

    static func insertLayer(_ json: inout [String: Any], _ layer: [String: Any], at index: Int) {
        var architecture = json["architecture"] as! [String: Any]
        var layers = architecture["layers"] as! [Any]
        layers.insert(layer, at: index)
        architecture["layers"] = layers
        json["architecture"] = architecture
    }

    // small-cnn's layers: conv2d_1, max_pool_1, conv2d_2, max_pool_2, conv2d_3, max_pool_3,
    // global_average_pool_1, dense_1.
    nonisolated(unsafe) static let cases: [(String, @Sendable (inout [String: Any]) -> Void)] = [
        ("data.classes lists 2 classes", { set(&$0, ["data", "classes"], ["a", "b"]) }),
        ("layers[1] (max_pool_1).size is 0", { set(&$0, ["architecture", "layers", 1, "size"], 0) }),
        ("layers[0] (conv2d_1).kernel is 0", { set(&$0, ["architecture", "layers", 0, "kernel"], 0) }),
        ("layers[2] (conv2d_2).stride is 0", { set(&$0, ["architecture", "layers", 2, "stride"], 0) }),
        ("layers[0] (conv2d_1).filters is -3", { set(&$0, ["architecture", "layers", 0, "filters"], -3) }),
        ("layers[7] (dense_1).units is 0", { set(&$0, ["architecture", "layers", 7, "units"], 0) }),
        ("architecture.input.height is 1099511627776", { set(&$0, ["architecture", "input", "image", "height"], 1 << 40) }),
        ("architecture.input.channels is 4", { set(&$0, ["architecture", "input", "image", "channels"], 4) }),
        ("layers[6] (max_pool_4) is a 2x2 pool, larger than its 1x1 input",
         { insertLayer(&$0, ["type": "max_pool", "size": 2], at: 6) }),
        ("layers[4] (conv2d_3) is a 5x5 valid convolution, larger than its 2x2 input",
         { set(&$0, ["architecture", "layers", 4], ["type": "conv2d", "filters": 4, "kernel": 5]) }),
        ("layers[7] (dropout_1).rate is 1.5", { insertLayer(&$0, ["type": "dropout", "rate": 1.5], at: 7) }),
        ("layers[6] is global_average_pool; the last layer must be dense", { set(&$0, ["architecture", "layers", 7], nil) }),
        ("data.multiLabel is false but architecture.head is sigmoid", { set(&$0, ["architecture", "head"], "sigmoid") }),
        ("data.preparation.resize is 60000x60000", { set(&$0, ["data", "preparation", "resize", "size"], ["width": 60000, "height": 60000]) }),
        ("data.preparation.resize is 8x8 shorter", { set(&$0, ["data", "preparation", "resize", "mode"], "shorter") }),
        ("data.preparation.normalization.std[0] is 0.0", { set(&$0, ["data", "preparation", "normalization", "std"], [0, 1, 1]) }),
        ("data.preparation.normalization.std[2] is -1.0", { set(&$0, ["data", "preparation", "normalization", "std"], [1, 1, -1]) }),
        ("data.preparation.normalization.mean has 1 values", { set(&$0, ["data", "preparation", "normalization", "mean"], [0]) }),
        ("data.preparation.normalization.channelOrder is bgr, but rescale is rgb",
         { set(&$0, ["data", "preparation", "normalization", "channelOrder"], "bgr") }),
        ("data.normalization.std[1] is 0.0", {
            set(&$0, ["data", "preparation"], nil)
            set(&$0, ["data", "normalization"], ["kind": "dataset", "scale": 1, "mean": [0, 0, 0], "std": [1, 0, 1]])
        }),
        ("threshold is 7.0", { set(&$0, ["threshold"], 7) }),
    ]

    @Test(arguments: cases.indices)
    func hostileDocumentIsRefusedNamingFileAndField(_ index: Int) throws {
        let (expected, change) = Self.cases[index]
        let folder = try Self.savedModel()
        try Self.edit(folder, change)
        let error = #expect(throws: ModelError.self) { _ = try ModelFile.network(in: folder.path, batchSize: 2, engine: try ComputeEngine(threads: 1)) }
        let text = error?.description ?? ""
        #expect(text.contains(folder.path + "/model.json: ") && text.contains(expected), "\(text)")
    }

    /// A preparation that does not decode (an unknown channel order, or a normalisation
    /// recorded twice, in and beside it) is refused naming the key.
    @Test func undecodablePreparationIsRefusedNamingTheKey() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("gbr", { Self.set(&$0, ["data", "preparation", "normalization", "channelOrder"], "gbr") }),
            ("is also in data.preparation",
             { Self.set(&$0, ["data", "normalization"], ["kind": "none", "scale": 1, "mean": [0, 0, 0], "std": [1, 1, 1]]) }),
        ]
        for (expected, change) in cases {
            let folder = try Self.savedModel()
            try Self.edit(folder, change)
            let error = #expect(throws: ModelError.self) { _ = try ModelFile.document(in: folder.path) }
            let text = error?.description ?? ""
            #expect(text.contains(folder.path + "/model.json") && text.contains(expected), "\(text)")
        }
    }

    @Test func nonFiniteWeightsAreRefusedNamingTheTensor() throws {
        let folder = try Self.savedModel()
        // Untouched (and rewritten by the test's JSON round trip), the model loads.
        try Self.edit(folder) { _ in }
        let (network, document) = try ModelFile.network(in: folder.path, batchSize: 2, engine: try ComputeEngine(threads: 1))
        #expect(network.classCount == 3 && document.data.classes.count == 3)
        let path = folder.path + "/" + ModelFile.weightsName
        var tensors = try SafeTensors.decode(try FileIO.read(path)).tensors
        let index = try #require(tensors.firstIndex { $0.name == "dense_1.kernel" })
        tensors[index].values[5] = .nan
        try FileIO.writeAtomically(SafeTensors.encode(tensors), to: path)
        let error = #expect(throws: ModelError.self) { _ = try ModelFile.network(in: folder.path, batchSize: 2, engine: try ComputeEngine(threads: 1)) }
        let text = error?.description ?? ""
        #expect(text.contains("weights.safetensors") && text.contains("'dense_1.kernel'") && text.contains("index 5"), "\(text)")
    }

    /// Labels beyond the model's classes (a features file scored by another model) are refused
    /// before the confusion matrix is indexed with them.
    @Test func evaluationRefusesLabelsBeyondTheModelsClasses() throws {
        let folder = try Self.savedModel()
        let (network, document) = try ModelFile.network(in: folder.path, batchSize: 2, engine: try ComputeEngine(threads: 1))
        let set = try ExampleSet(input: document.architecture.input, element: .uint8,
                                 rows: ArrayRows([UInt8](repeating: 9, count: 2 * 8 * 8 * 3), rowByteCount: 8 * 8 * 3), labels: .classes([1, 5]))
        #expect(throws: DataError.self) { _ = try Evaluation.run(network: network, document: document, examples: set, threshold: 0.5) }
    }

    @Test func specsOutsideTheLimitsAreRefusedWhenBuilt() {
        let dense = LayerSpec.dense(units: 2, activation: nil)
        let specs = [
            ModelSpec(name: "x", input: .features(4), layers: [.conv2d(filters: 2, kernel: 1, stride: 1, padding: .same, activation: nil), dense],
                      head: .softmax),
            ModelSpec(name: "x", input: .features(0), layers: [dense], head: .softmax),
            ModelSpec(name: "x", input: .features(4), layers: [.activation(.leakyReLU(slope: .nan)), dense], head: .softmax),
            ModelSpec(name: "x", input: .image(height: 8192, width: 8192, channels: 3),
                      layers: [.conv2d(filters: 64, kernel: 3, stride: 1, padding: .same, activation: nil), dense], head: .softmax),
            ModelSpec(name: "x", input: .features(1 << 24), layers: [.dense(units: 1 << 16, activation: nil), dense], head: .softmax),
        ]
        for spec in specs {
            #expect(throws: ModelError.self) { _ = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1)) }
        }
    }
}

/// `--resume` reads the checkpoint's state and optimizer slots: tampered ones are refused.
@Suite struct HostileCheckpointTests {
    static func tamper(_ folder: String, _ change: (inout [String: Any], inout [NamedTensor]) -> Void) throws {
        let path = folder + "/checkpoint.safetensors"
        var (tensors, metadata) = try SafeTensors.decode(try FileIO.read(path))
        let json = try #require(metadata["state"])
        var state = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        change(&state, &tensors)
        metadata["state"] = String(decoding: try JSONSerialization.data(withJSONObject: state), as: UTF8.self)
        try FileIO.writeAtomically(SafeTensors.encode(tensors, metadata: metadata), to: path)
    }

    @Test(arguments: ["bestEpoch", "epochsDone", "iterations", "slot"])
    func tamperedCheckpointIsRefused(_ what: String) throws {
        let folder = TemporaryFolder()
        let set = try TinyData.features()
        let spec = ModelArchitecture.mlp.spec(input: set.input, classes: 3, head: .softmax)
        var options = TrainingOptions(epochs: 1, batchSize: 8, threads: 1)
        func run(resume: Bool) throws -> TrainingRun.Outcome {
            try TrainingRun(spec: spec, data: TinyData.description(for: set, classes: 3), train: set, validation: nil,
                            validationSource: nil, options: options, folder: folder.path).run(resume: resume)
        }
        _ = try run(resume: false)
        try Self.tamper(folder.path) { state, tensors in
            switch what {
            case "bestEpoch": state["bestEpoch"] = 9
            case "epochsDone": state["epochsDone"] = -3
            case "iterations": state["iterations"] = -1
            default:
                let index = tensors.firstIndex { $0.name.hasPrefix("optimizer/") }!
                tensors[index].values[0] = .infinity
            }
        }
        options.epochs = 2
        let error = #expect(throws: ModelError.self) { _ = try run(resume: true) }
        #expect(error?.description.contains("checkpoint.safetensors: ") == true, "\(error?.description ?? "")")
    }
}
