import DatasetKit
import Foundation

/// What `--resume` needs to continue a run exactly where it stopped: the weights and optimizer
/// state after the last finished epoch, and the run's bookkeeping, in one safetensors file
/// (`checkpoint.safetensors`, the state as JSON in its metadata) written atomically, so the
/// two can never disagree.
struct Checkpoint {
    static let fileName = "checkpoint.safetensors"

    struct State: Codable, Equatable {
        /// Settings that must match to resume (architecture, data, batch size, optimizer, seed,
        /// augmentation); the number of epochs may grow.
        var fingerprint: String
        var epochsDone = 0
        var iterations = 0
        var bestMonitored: Double?
        var bestEpoch = 0
        var epochsSinceBest = 0
        var history = History()
    }

    /// The identity of a run for resuming.
    static func fingerprint(spec: ModelSpec, data: DatasetDescription, options: TrainingOptions, trainExamples: Int) -> String {
        struct Identity: Encodable {
            var spec: ModelSpec, data: DatasetDescription, batchSize: Int, optimizer: OptimizerSettings
            var seed: UInt64, augmentation: Augmentation, trainExamples: Int
        }
        let identity = Identity(spec: spec, data: data, batchSize: options.batchSize, optimizer: options.optimizer,
                                seed: options.seed, augmentation: options.augmentation, trainExamples: trainExamples)
        return String(decoding: ModelFile.encode(identity), as: UTF8.self)
    }

    static func write(_ state: State, network: Network, optimizer: Optimizer, folder: String) throws {
        let stateJSON = String(decoding: ModelFile.encode(state), as: UTF8.self)
        let tensors = try network.exportedTensors()
        let bytes = SafeTensors.encode(tensors + (try optimizer.stateTensors().map { tensor in
            var t = tensor
            t.name = "optimizer/" + t.name
            return t
        }), metadata: ["format": ModelDocument.formatName + "-checkpoint", "state": stateJSON])
        try FileIO.writeAtomically(bytes, to: folder + "/" + fileName)
    }

    /// Loads the checkpoint in `folder` into `network` and `optimizer`; returns its state.
    static func restore(folder: String, network: Network, optimizer: Optimizer) throws -> State {
        let path = folder + "/" + fileName
        guard FileIO.exists(path) else { throw ModelError.file("\(folder) holds no \(fileName) to resume from") }
        let decoded: (tensors: [NamedTensor], metadata: [String: String])
        do { decoded = try SafeTensors.decode(try FileIO.read(path)) } catch let error as SafeTensors.FormatError {
            throw ModelError.file("\(path): \(error)")
        }
        guard let json = decoded.metadata["state"], let state = try? JSONDecoder().decode(State.self, from: Data(json.utf8)) else {
            throw ModelError.file("\(path) carries no training state")
        }
        // The state steers the loop (epochs left, early stopping): it must be one a run wrote.
        guard state.epochsDone >= 0, state.iterations >= 0, (0...state.epochsDone).contains(state.bestEpoch),
              (0...state.epochsDone).contains(state.epochsSinceBest), state.history.epochs.count == state.epochsDone,
              state.bestMonitored?.isFinite ?? true else {
            throw ModelError.file("\(path): the training state is inconsistent (\(state.epochsDone) epochs done, best epoch \(state.bestEpoch), "
                + "\(state.history.epochs.count) in the history); start afresh with --overwrite")
        }
        let byName = Dictionary(decoded.tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        do {
            try ModelFile.load(byName, into: network)
            let slots = Dictionary(decoded.tensors.compactMap { t -> (String, NamedTensor)? in
                t.name.hasPrefix("optimizer/") ? (String(t.name.dropFirst("optimizer/".count)), t) : nil
            }, uniquingKeysWith: { a, _ in a })
            try optimizer.restore(slots, iterations: state.iterations)
        } catch ModelError.file(let reason) {
            throw ModelError.file("\(path): \(reason)")
        }
        return state
    }
}
