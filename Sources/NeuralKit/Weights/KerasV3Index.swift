import DatasetKit

/// Reads the index of a Keras 3 `.weights.h5` (`keras/src/saving/saving_lib.py`). Every saved
/// object is a group with a `vars` subgroup holding its variables as datasets `0`, `1`, ... and
/// a `name` attribute (the Keras layer name). A model's layers sit in its `layers` group under
/// names derived from their class, numbered per class in model order (`conv2d`, `conv2d_1`,
/// ...); a nested model repeats the pattern below its own group. Other sub-objects of a layer
/// are groups named after the attribute holding them.
enum KerasV3Index {
    /// The groups Keras keeps a model's layers in (`_layer_checkpoint_dependencies` in files
    /// written by tf.keras 2.13, which Keras 3 still loads).
    static let layerContainers = ["layers", "_layer_checkpoint_dependencies"]

    static func holdsLayers(_ file: HDF5File) -> Bool {
        (layerContainers + ["vars"]).contains { file.kind(at: "/" + $0) == .group }
    }

    static func read(_ file: HDF5File) throws(WeightFileError) -> [KerasWeightFile.Layer] {
        var reader = Reader(file: file)
        try reader.visit("/", depth: 0)
        return reader.layers
    }

    /// Orders a layers group's entries as Keras numbered them: by class-derived name, then by
    /// the number appended to repeats (`conv2d_2` before `conv2d_10`; plain `conv2d` first).
    static func containerOrder(_ names: [String]) -> [String] {
        func key(_ name: String) -> (String, Int) {
            guard let underscore = name.lastIndex(of: "_") else { return (name, 0) }
            let digits = name[name.index(after: underscore)...]
            guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), digits.count <= 9,
                  let number = Int(digits) else { return (name, 0) }
            return (String(name[..<underscore]), number)
        }
        return names.sorted { key($0) < key($1) }
    }

    private struct Reader {
        let file: HDF5File
        var layers: [KerasWeightFile.Layer] = []
        var total = 0
        var visited = 0
        var tensors = 0

        /// Records the object at `path` (when it has variables, or is below the root), then its
        /// layers, then its other sub-objects. At the root only the model's layers are read,
        /// not the optimizer's state.
        mutating func visit(_ path: String, depth: Int) throws(WeightFileError) {
            guard depth <= WeightFileLimits.depth else {
                throw WeightFileError(.limit, path: file.path, location: path,
                                      reason: "groups nest deeper than \(WeightFileLimits.depth) levels")
            }
            visited += 1
            guard visited <= WeightFileLimits.objects else {
                throw WeightFileError(.limit, path: file.path, location: path,
                                      reason: "the file holds more than \(WeightFileLimits.objects) groups to visit")
            }
            let children = try file.children(ofGroup: path)
            if children.contains("vars"), file.kind(at: KerasLegacyIndex.join(path, "vars")) == .group {
                let layer = try object(at: path)
                if depth > 0 || !layer.weights.isEmpty { layers.append(layer) }
            }
            for container in KerasV3Index.layerContainers where children.contains(container) {
                let containerPath = KerasLegacyIndex.join(path, container)
                guard file.kind(at: containerPath) == .group else { continue }
                for name in KerasV3Index.containerOrder(try file.children(ofGroup: containerPath)) {
                    let child = KerasLegacyIndex.join(containerPath, name)
                    if file.kind(at: child) == .group { try visit(child, depth: depth + 1) }
                }
            }
            let skipped = Set(["vars"] + KerasV3Index.layerContainers + (depth == 0 ? ["optimizer"] : []))
            for name in children where !skipped.contains(name) {
                let child = KerasLegacyIndex.join(path, name)
                if file.kind(at: child) == .group { try visit(child, depth: depth + 1) }
            }
        }

        /// The object whose `vars` group is below `path`: variables `0..<n` in index order.
        mutating func object(at path: String) throws(WeightFileError) -> KerasWeightFile.Layer {
            let varsPath = KerasLegacyIndex.join(path, "vars")
            var indexed: [(Int, String)] = []
            for name in try file.children(ofGroup: varsPath) {
                guard name.utf8.allSatisfy({ (0x30...0x39).contains($0) }), name.count <= 9, let index = Int(name) else {
                    throw WeightFileError(.format, path: file.path, location: KerasLegacyIndex.join(varsPath, name),
                                          reason: "a variable not named by its index (0, 1, ...)")
                }
                indexed.append((index, name))
            }
            tensors += indexed.count
            guard tensors <= WeightFileLimits.objects else {
                throw WeightFileError(.limit, path: file.path, location: varsPath,
                                      reason: "the file lists more than \(WeightFileLimits.objects) tensors")
            }
            indexed.sort { $0.0 < $1.0 }
            guard indexed.map(\.0) == Array(0..<indexed.count) else {
                throw WeightFileError(.format, path: file.path, location: varsPath,
                                      reason: "variables \(indexed.map(\.1)) are not numbered 0 to \(indexed.count - 1)")
            }
            var weights: [TensorInfo] = []
            for (_, name) in indexed {
                let datasetPath = KerasLegacyIndex.join(varsPath, name)
                guard file.kind(at: datasetPath) == .dataset else {
                    throw WeightFileError(.format, path: file.path, location: datasetPath, reason: "a variable that is not a dataset")
                }
                let info = try file.datasetInfo(at: datasetPath)
                guard let sum = CheckedSize.sum(total, info.count), sum <= WeightFileLimits.fileValues else {
                    throw WeightFileError(.limit, path: file.path, location: datasetPath,
                                          reason: "the file's tensors hold more than \(WeightFileLimits.fileValues) values")
                }
                total = sum
                weights.append(TensorInfo(name: name, path: datasetPath, shape: info.shape, storedType: info.storedType))
            }
            var name = String(path.split(separator: "/").last ?? "")
            if try file.hasAttribute("name", at: varsPath), let recorded = try file.strings(attribute: "name", at: varsPath).first {
                name = recorded
            }
            return KerasWeightFile.Layer(name: name, path: path, weights: weights)
        }
    }
}
