/// Loads timm's `model.safetensors` (what `timm.create_model(name, pretrained=True)` caches, or
/// `save_file(model.state_dict())` writes) into a network built with `family: .timm`.
///
/// The network's nodes carry timm's module paths, so each tensor has one key: `<node>.weight`
/// for a kernel or batch-norm gamma, `<node>.bias` for a bias or beta, `<node>.running_mean` and
/// `<node>.running_var` for the moving statistics. Kernels are converted from PyTorch's layouts
/// (`TimmTensorLayout`); every shape is checked, and an error names the key and both shapes.
/// Batch norm's `num_batches_tracked` (int64) is ignored, and so is a classifier the network
/// does not have (a with-top file serves a network without its top). F16 and BF16 files load
/// converted to float32. Layers of the network that are not the backbone's (a head of its own)
/// are left alone; a head's nodes must not take the names of timm's classifier (`fc`,
/// `classifier`, `global_pool`, `pre_logits.*`, `head.*`), which are loaded as timm's.
public enum TimmWeightLoading {
    /// What was loaded.
    public struct Report: Sendable, Equatable {
        /// Network tensors set.
        public var tensors: Int
        public var values: Int
        /// Float tensors of the file left unused (the classifier, for a network without it).
        public var unusedTensors: [String]
    }

    /// The timm key the network tensor `name` (`layer1.0.conv1.kernel`) is loaded from, and its
    /// layout there; nil for a tensor timm does not store.
    static func key(for name: String, savedShape: [Int]) -> (key: String, layout: TimmTensorLayout)? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        guard let (layout, weight) = TimmTensorLayout.of(weight: String(name[name.index(after: dot)...]), savedShape: savedShape) else { return nil }
        return (name[..<dot] + "." + weight, layout)
    }

    /// The first key of each timm backbone's `state_dict`, to name the backbone a file holds
    /// when it is not the one asked for.
    private static let firstKeys: [(key: String, backbone: Backbone)] = [
        ("features.0.weight", .vgg16), ("layer1.0.conv1.weight", .resnet50),
        ("blocks.0.0.conv_dw.weight", .mobilenetV2), ("Conv2d_1a_3x3.conv.weight", .inceptionV3)]

    /// Sets the weights of `backbone`'s layers in `network` (built from `backbone.spec(...,
    /// family: .timm)`, perhaps with a head of its own) from the safetensors file at `path`.
    public static func load(path: String, backbone: Backbone, into network: Network) throws(WeightFileError) -> Report {
        try load(try SafeTensorsFile(path: path), backbone: backbone, into: network)
    }

    /// Sets the weights of `backbone`'s layers in `network` from `file`.
    public static func load(_ file: SafeTensorsFile, backbone: Backbone, into network: Network) throws(WeightFileError) -> Report {
        // Node names do not depend on the input size; the with-top spec names every node.
        let nodes: Set<String>
        do { nodes = Set(try backbone.spec(includeTop: true, family: .timm).layerNames) } catch {
            throw WeightFileError(.missing, path: file.path, reason: "timm's \(backbone.timmName) cannot be built: \(error)")
        }
        let wanted = network.storedTensors.filter { tensor in
            tensor.name.lastIndex(of: ".").map { nodes.contains(String(tensor.name[..<$0])) } ?? false
        }
        guard !wanted.isEmpty else {
            throw WeightFileError(.missing, path: file.path, reason: "the network holds no layer of timm's \(backbone.timmName) "
                + "(is it built with family: .timm?)")
        }
        var used = Set<String>()
        var values = 0
        for tensor in wanted {
            guard let (key, layout) = key(for: tensor.name, savedShape: tensor.savedShape) else {
                throw WeightFileError(.missing, path: file.path, reason: "timm stores no tensor for the network's \(tensor.name) \(tensor.savedShape)")
            }
            guard let entry = file.entry(key) else {
                var reason = "has no tensor \(key), which \(backbone.timmName)'s \(tensor.name) needs"
                if let other = firstKeys.first(where: { $0.backbone != backbone && file.entry($0.key) != nil }) {
                    reason += "; it holds timm's \(other.backbone.timmName) (\(other.key))"
                } else if file.entry(firstKeys.first { $0.backbone == backbone }!.key) != nil {
                    reason += " (a file without the classifier serves only a network without it)"
                }
                throw WeightFileError(.missing, path: file.path, location: key, reason: reason)
            }
            let expected = layout.timmShape(tensor.savedShape)
            guard entry.shape == expected else {
                throw WeightFileError(.format, path: file.path, location: key,
                                      reason: "has shape \(entry.shape); \(backbone.timmName)'s \(tensor.name) needs \(expected) "
                                        + "(\(layout == .vector ? "a vector" : "PyTorch's layout") for saved shape \(tensor.savedShape))")
            }
            let data = try file.values(key)
            if let index = data.firstIndex(where: { !$0.isFinite }) {
                throw WeightFileError(.format, path: file.path, location: key, reason: "holds \(data[index]) at index \(index)")
            }
            do { try tensor.setPlainValues(layout.toSaved(data, saved: tensor.savedShape)) } catch {
                throw WeightFileError(.unreadable, path: file.path, location: key, reason: "could not be set: \(error)")
            }
            used.insert(key)
            values += data.count
        }
        let unused = file.entries.filter { $0.dtype.isReadAsFloat && !used.contains($0.name) }.map(\.name)
        return Report(tensors: wanted.count, values: values, unusedTensors: unused)
    }
}
