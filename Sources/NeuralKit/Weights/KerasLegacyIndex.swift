import DatasetKit

/// Reads the index of a legacy Keras `.h5` weight file (`keras/src/legacy/saving/legacy_h5_format.py`):
/// the group's `layer_names` attribute (split into `layer_names0`, `layer_names1`, ... when it
/// outgrew HDF5's 64 KiB attribute header) lists the layers in `model.layers` order; each
/// layer's group has a `weight_names` attribute naming its datasets relative to the group.
/// The dataset paths are followed exactly as named, never rebuilt, since three naming
/// generations are in circulation.
enum KerasLegacyIndex {
    /// Whether the group at `groupPath` has a `layer_names` attribute (whole or split).
    static func listsLayers(_ file: HDF5File, at groupPath: String) throws(WeightFileError) -> Bool {
        if try file.hasAttribute("layer_names", at: groupPath) { return true }
        return try file.hasAttribute("layer_names0", at: groupPath)
    }

    static func read(_ file: HDF5File, root: String) throws(WeightFileError) -> (layers: [KerasWeightFile.Layer], layout: KerasWeightFile.Layout) {
        var layers: [KerasWeightFile.Layer] = []
        var total = 0
        var tensors = 0
        for name in try splitAttribute("layer_names", file, root) {
            let groupPath = join(root, name)
            guard file.kind(at: groupPath) == .group else {
                throw WeightFileError(.missing, path: file.path, location: groupPath,
                                      reason: "layer '\(name)' is listed in layer_names but has no group")
            }
            guard try file.hasAttribute("weight_names", at: groupPath) else {
                throw WeightFileError(.format, path: file.path, location: groupPath, reason: "layer '\(name)' has no weight_names attribute")
            }
            var weights: [TensorInfo] = []
            let weightNames = try file.strings(attribute: "weight_names", at: groupPath)
            tensors += weightNames.count
            guard tensors <= WeightFileLimits.objects else {
                throw WeightFileError(.limit, path: file.path, location: groupPath,
                                      reason: "the file lists more than \(WeightFileLimits.objects) tensors")
            }
            for weightName in weightNames {
                // h5py semantics of group[name]: relative to the group, or absolute with a leading /.
                let datasetPath = weightName.hasPrefix("/") ? weightName : join(groupPath, weightName)
                guard file.kind(at: datasetPath) == .dataset else {
                    throw WeightFileError(.missing, path: file.path, location: datasetPath,
                                          reason: "layer '\(name)' lists weight '\(weightName)' in weight_names, but the file has no such dataset")
                }
                let info = try file.datasetInfo(at: datasetPath)
                guard let sum = CheckedSize.sum(total, info.count), sum <= WeightFileLimits.fileValues else {
                    throw WeightFileError(.limit, path: file.path, location: datasetPath,
                                          reason: "the file's tensors hold more than \(WeightFileLimits.fileValues) values")
                }
                total = sum
                weights.append(TensorInfo(name: weightName, path: datasetPath, shape: info.shape, storedType: info.storedType))
            }
            layers.append(KerasWeightFile.Layer(name: name, path: groupPath, weights: weights))
        }
        return (layers, layout(of: layers))
    }

    /// The naming generation, told by the first weight name: Keras 1 wrote flat names
    /// (`block1_conv1_W_1:0`), Keras 2 nested ones with a variable index (`conv1/kernel:0`),
    /// Keras 3's legacy writer nested ones without (`conv1/kernel`).
    static func layout(of layers: [KerasWeightFile.Layer]) -> KerasWeightFile.Layout {
        guard let name = layers.lazy.compactMap(\.weights.first).first?.name else { return .legacyWithoutWeights }
        guard name.contains("/") else { return .legacyFlat }
        if let colon = name.lastIndex(of: ":"), name[name.index(after: colon)...].allSatisfy(\.isASCIIDigit),
           name.index(after: colon) != name.endIndex {
            return .legacyNested
        }
        return .legacyNestedWithoutIndex
    }

    /// `name`, or when absent `name0`, `name1`, ... concatenated (Keras' `load_attributes_from_hdf5_group`).
    static func splitAttribute(_ name: String, _ file: HDF5File, _ groupPath: String) throws(WeightFileError) -> [String] {
        if try file.hasAttribute(name, at: groupPath) { return try file.strings(attribute: name, at: groupPath) }
        var values: [String] = []
        var chunk = 0
        while try file.hasAttribute("\(name)\(chunk)", at: groupPath) {
            guard chunk < WeightFileLimits.attributeChunks else {
                throw WeightFileError(.limit, path: file.path, location: groupPath,
                                      reason: "\(name) is split into more than \(WeightFileLimits.attributeChunks) attributes")
            }
            values += try file.strings(attribute: "\(name)\(chunk)", at: groupPath)
            guard values.count <= WeightFileLimits.entries else {
                throw WeightFileError(.limit, path: file.path, location: groupPath,
                                      reason: "\(name) lists more than \(WeightFileLimits.entries) entries")
            }
            chunk += 1
        }
        return values
    }

    static func join(_ group: String, _ name: String) -> String {
        group.hasSuffix("/") ? group + name : group + "/" + name
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
