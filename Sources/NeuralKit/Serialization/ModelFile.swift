import DatasetKit
import Foundation

/// A model folder: `model.json` (architecture, classes, normalisation, training record) and
/// `weights.safetensors` (every parameter by name, in Keras' layouts), both written atomically.
public enum ModelFile {
    public static let documentName = "model.json"
    public static let weightsName = "weights.safetensors"

    /// Writes the weights of `network` and the document into `folder` (created if needed).
    public static func save(_ network: Network, document: ModelDocument, to folder: String) throws {
        try FileIO.createDirectories(folder)
        try FileIO.writeAtomically(try weightFile(network), to: folder + "/" + weightsName)
        try FileIO.writeAtomically(encode(document), to: folder + "/" + documentName)
    }

    /// The safetensors bytes of a network's stored tensors (weights and layer state).
    static func weightFile(_ network: Network) throws -> [UInt8] {
        SafeTensors.encode(try network.exportedTensors(), metadata: ["format": ModelDocument.formatName, "architecture": network.spec.name])
    }

    /// Reads `model.json`.
    public static func document(in folder: String) throws -> ModelDocument {
        let path = folder + "/" + documentName
        guard FileIO.exists(path) else { throw ModelError.file("\(folder) holds no \(documentName): pass a folder written by `dataset train`") }
        let document: ModelDocument
        do { document = try JSONDecoder().decode(ModelDocument.self, from: Data(try FileIO.read(path))) } catch {
            throw ModelError.file("\(path) is not a model description: \(error)")
        }
        guard document.format == ModelDocument.formatName, document.version <= ModelDocument.currentVersion else {
            throw ModelError.file("\(path) is \(document.format) version \(document.version); this build reads \(ModelDocument.formatName) up to \(ModelDocument.currentVersion)")
        }
        do { try document.validate() } catch { throw ModelError.file("\(path): \(error)") }
        return document
    }

    /// Reads a safetensors file into tensors by name.
    public static func tensors(at path: String) throws -> [String: NamedTensor] {
        guard FileIO.exists(path) else { throw ModelError.file("\(path) is missing") }
        do {
            let (tensors, _) = try SafeTensors.decode(try FileIO.read(path))
            return Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        } catch let error as SafeTensors.FormatError {
            throw ModelError.file("\(path): \(error)")
        }
    }

    /// Sets every stored tensor of `network` from `tensors` (see `Network.load`).
    public static func load(_ tensors: [String: NamedTensor], into network: Network) throws { try network.load(tensors) }

    /// An inference network for the model in `folder`, its weights loaded.
    public static func network(in folder: String, batchSize: Int, engine: ComputeEngine) throws -> (Network, ModelDocument) {
        let document = try document(in: folder)
        let network = try Network(spec: document.architecture, batchSize: batchSize, training: false, engine: engine,
                                  initializeWeights: false)
        let path = folder + "/" + weightsName
        do { try load(try tensors(at: path), into: network) } catch ModelError.file(let reason) where !reason.hasPrefix(path) {
            throw ModelError.file("\(path): \(reason)")
        }
        return (network, document)
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Plain value types always encode.
        return Array(try! encoder.encode(value)) + [0x0A]
    }
}
