import CHDF5
import DatasetKit
import Foundation

/// An HDF5 file opened read-only, read by absolute object paths (`/model_weights/conv1`):
/// groups and their children, string attributes, and float datasets. Every size the file
/// declares is checked against `WeightFileLimits` before memory is allocated for it, external
/// links and externally stored datasets are refused (a weight file must not make us open other
/// files), and every failure is a `WeightFileError` naming the file, the object and the reason.
final class HDF5File: @unchecked Sendable {
    // @unchecked: the identifiers are immutable and every libhdf5 call is serialised by
    // HDF5Library.call.

    enum ObjectKind: Equatable { case group, dataset, other }

    /// A dataset's stored shape and type.
    struct DatasetInfo: Equatable {
        var shape: [Int]
        var storedType: TensorInfo.StoredType
        /// The shape's product, at most `WeightFileLimits.tensorValues`.
        var count: Int
    }

    let path: String
    /// The file's size in bytes: contiguous data declared beyond it cannot be stored.
    let byteCount: Int
    private let file: HDF5Handle
    private let linkAccess: HDF5Handle

    init(path: String) throws(WeightFileError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw WeightFileError(.unreadable, path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw WeightFileError(.unreadable, path: path, reason: "not a regular file")
        }
        byteCount = Int(info.st_size)
        (file, linkAccess) = try HDF5Library.call { () throws(WeightFileError) -> (HDF5Handle, HDF5Handle) in
            guard let file = HDF5Handle(H5Fopen(path, chdf5_acc_rdonly(), chdf5_default())) else {
                throw WeightFileError(.unreadable, path: path, reason: "not a readable HDF5 file\(HDF5Library.lastError())")
            }
            guard let links = HDF5Handle(chdf5_link_access_without_external_links()) else {
                throw WeightFileError(.unreadable, path: path, reason: "libhdf5 cannot make a link access list\(HDF5Library.lastError())")
            }
            return (file, links)
        }
    }

    // MARK: objects

    /// What is at `objectPath`, or nil when nothing is (or it cannot be opened).
    func kind(at objectPath: String) -> ObjectKind? {
        HDF5Library.call {
            guard let object = try? open(objectPath) else { return nil }
            switch H5Iget_type(object.id) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// The names of a group's links, sorted by name (libhdf5's name index).
    func children(ofGroup objectPath: String) throws(WeightFileError) -> [String] {
        try HDF5Library.call { () throws(WeightFileError) -> [String] in
            let group = try open(objectPath, as: .group)
            var info = H5G_info_t()
            guard H5Gget_info(group.id, &info) >= 0 else {
                throw fail(.unreadable, objectPath, "cannot list the group\(HDF5Library.lastError())")
            }
            guard info.nlinks <= UInt64(WeightFileLimits.entries) else {
                throw fail(.limit, objectPath, "the group holds \(info.nlinks) links; at most \(WeightFileLimits.entries) are read")
            }
            var names: [String] = []
            for index in 0..<info.nlinks {
                let length = H5Lget_name_by_idx(group.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, linkAccess.id)
                guard length >= 0 else { throw fail(.unreadable, objectPath, "cannot read link \(index)'s name\(HDF5Library.lastError())") }
                guard length <= WeightFileLimits.nameBytes else {
                    throw fail(.limit, objectPath, "link \(index) has a \(length)-byte name; at most \(WeightFileLimits.nameBytes) are read")
                }
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                guard H5Lget_name_by_idx(group.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, linkAccess.id) == length else {
                    throw fail(.unreadable, objectPath, "cannot read link \(index)'s name\(HDF5Library.lastError())")
                }
                names.append(Self.text(buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }))
            }
            return names
        }
    }

    // MARK: attributes

    func hasAttribute(_ name: String, at objectPath: String) throws(WeightFileError) -> Bool {
        try HDF5Library.call { () throws(WeightFileError) -> Bool in
            let object = try open(objectPath)
            let exists = H5Aexists(object.id, name)
            guard exists >= 0 else {
                throw fail(.unreadable, objectPath, "cannot look up attribute '\(name)'\(HDF5Library.lastError())")
            }
            return exists > 0
        }
    }

    /// A string attribute's values (one for a scalar). Fixed-length strings are read with one
    /// byte more than their stored size, since a name that fills its field has no terminator
    /// and a read of the same size would drop its last character; their NUL or space padding
    /// is trimmed. An empty array of another type (Keras writes an empty `weight_names` as an
    /// empty float64 array) reads as no strings; a non-empty one is an error.
    func strings(attribute name: String, at objectPath: String) throws(WeightFileError) -> [String] {
        let location = "\(objectPath) attribute '\(name)'"
        return try HDF5Library.call { () throws(WeightFileError) -> [String] in
            let object = try open(objectPath)
            guard let attribute = HDF5Handle(H5Aopen(object.id, name, chdf5_default())) else {
                throw fail(.missing, location, "no such attribute\(HDF5Library.lastError())")
            }
            guard let type = HDF5Handle(H5Aget_type(attribute.id)), let space = HDF5Handle(H5Aget_space(attribute.id)) else {
                throw fail(.unreadable, location, "cannot read its type or extent\(HDF5Library.lastError())")
            }
            let points = H5Sget_simple_extent_npoints(space.id)
            guard points >= 0 else { throw fail(.unreadable, location, "cannot read its extent\(HDF5Library.lastError())") }
            guard H5Tget_class(type.id) == H5T_STRING else {
                if points == 0 { return [] }
                throw fail(.dataType, location, "holds \(Self.storedType(type.id)) values, not strings")
            }
            guard points <= WeightFileLimits.entries else {
                throw fail(.limit, location, "holds \(points) strings; at most \(WeightFileLimits.entries) are read")
            }
            let count = Int(points)
            guard let memory = HDF5Handle(H5Tcopy(chdf5_c_s1())), H5Tset_cset(memory.id, H5Tget_cset(type.id)) >= 0 else {
                throw fail(.unreadable, location, "cannot make a string type\(HDF5Library.lastError())")
            }
            if H5Tis_variable_str(type.id) > 0 {
                return try variableLengthStrings(attribute, memory, space, count, location)
            }
            return try fixedLengthStrings(attribute, type, memory, count, location)
        }
    }

    private func fixedLengthStrings(_ attribute: HDF5Handle, _ type: HDF5Handle, _ memory: HDF5Handle, _ count: Int,
                                    _ location: String) throws(WeightFileError) -> [String] {
        let size = H5Tget_size(type.id)
        guard size > 0, size <= WeightFileLimits.nameBytes else {
            throw fail(.limit, location, "holds \(size)-byte strings; at most \(WeightFileLimits.nameBytes) bytes are read")
        }
        let stride = size + 1
        guard let total = CheckedSize.product(count, stride), total <= WeightFileLimits.attributeBytes else {
            throw fail(.limit, location, "holds \(count) strings of \(size) bytes; at most \(WeightFileLimits.attributeBytes) bytes are read")
        }
        guard H5Tset_size(memory.id, stride) >= 0, H5Tset_strpad(memory.id, H5T_STR_NULLTERM) >= 0 else {
            throw fail(.unreadable, location, "cannot make a string type\(HDF5Library.lastError())")
        }
        var buffer = [UInt8](repeating: 0, count: max(total, 1))
        guard H5Aread(attribute.id, memory.id, &buffer) >= 0 else {
            throw fail(.unreadable, location, "cannot read the strings\(HDF5Library.lastError())")
        }
        return (0..<count).map { index in
            var field = buffer[(index * stride)..<(index * stride + size)].prefix { $0 != 0 }
            while field.last == 0x20 { field.removeLast() }
            return Self.text(Array(field))
        }
    }

    private func variableLengthStrings(_ attribute: HDF5Handle, _ memory: HDF5Handle, _ space: HDF5Handle, _ count: Int,
                                       _ location: String) throws(WeightFileError) -> [String] {
        guard H5Tset_size(memory.id, chdf5_variable()) >= 0 else {
            throw fail(.unreadable, location, "cannot make a string type\(HDF5Library.lastError())")
        }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: max(count, 1))
        guard H5Aread(attribute.id, memory.id, &pointers) >= 0 else {
            throw fail(.unreadable, location, "cannot read the strings\(HDF5Library.lastError())")
        }
        // libhdf5 allocated each string; it frees them whatever happens below.
        defer { _ = chdf5_reclaim(memory.id, space.id, &pointers) }
        var strings: [String] = []
        var total = 0
        for pointer in pointers.prefix(count) {
            guard let pointer else { strings.append(""); continue }
            let length = strnlen(pointer, WeightFileLimits.nameBytes + 1)
            guard length <= WeightFileLimits.nameBytes else {
                throw fail(.limit, location, "holds a string longer than \(WeightFileLimits.nameBytes) bytes")
            }
            total += length
            guard total <= WeightFileLimits.attributeBytes else {
                throw fail(.limit, location, "holds more than \(WeightFileLimits.attributeBytes) bytes of strings")
            }
            strings.append(pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                Self.text(Array(UnsafeBufferPointer(start: $0, count: length)))
            })
        }
        return strings
    }

    // MARK: datasets

    /// A dataset's shape (rank and element count bounded) and stored type.
    func datasetInfo(at objectPath: String) throws(WeightFileError) -> DatasetInfo {
        try HDF5Library.call { () throws(WeightFileError) -> DatasetInfo in
            let dataset = try open(objectPath, as: .dataset)
            return try info(of: dataset, objectPath)
        }
    }

    /// A float dataset's values as `Float`, converted by libhdf5 from the stored width
    /// (float16 and float64 included). Other types are an error naming the stored type.
    func floats(at objectPath: String) throws(WeightFileError) -> [Float] {
        try HDF5Library.call { () throws(WeightFileError) -> [Float] in
            let dataset = try open(objectPath, as: .dataset)
            let info = try info(of: dataset, objectPath)
            guard info.storedType.isFloat else {
                throw fail(.dataType, objectPath, "holds \(info.storedType) values; only floats are read as weights")
            }
            let count = info.count
            try checkStorage(of: dataset, count: count, objectPath)
            let values = try [Float](unsafeUninitializedCapacity: count) { buffer, initialized throws(WeightFileError) in
                guard count > 0 else { return }
                guard H5Dread(dataset.id, chdf5_native_float(), chdf5_all(), chdf5_all(), chdf5_default(), buffer.baseAddress) >= 0 else {
                    throw fail(.unreadable, objectPath, "cannot read the values\(HDF5Library.lastError())")
                }
                initialized = count
            }
            return values
        }
    }

    private func info(of dataset: HDF5Handle, _ objectPath: String) throws(WeightFileError) -> DatasetInfo {
        guard let space = HDF5Handle(H5Dget_space(dataset.id)), let type = HDF5Handle(H5Dget_type(dataset.id)) else {
            throw fail(.unreadable, objectPath, "cannot read its shape or type\(HDF5Library.lastError())")
        }
        let shape: [Int]
        switch H5Sget_simple_extent_type(space.id) {
        case H5S_SCALAR:
            shape = []
        case H5S_SIMPLE:
            let rank = H5Sget_simple_extent_ndims(space.id)
            guard rank >= 0 else { throw fail(.unreadable, objectPath, "cannot read its rank\(HDF5Library.lastError())") }
            guard rank <= WeightFileLimits.rank else {
                throw fail(.limit, objectPath, "has rank \(rank); at most \(WeightFileLimits.rank) dimensions are read")
            }
            var dimensions = [hsize_t](repeating: 0, count: max(Int(rank), 1))
            guard H5Sget_simple_extent_dims(space.id, &dimensions, nil) == rank else {
                throw fail(.unreadable, objectPath, "cannot read its shape\(HDF5Library.lastError())")
            }
            shape = dimensions.prefix(Int(rank)).map { Int(clamping: $0) }
        default:
            throw fail(.format, objectPath, "has no data space (an empty HDF5 dataset, not a tensor)")
        }
        guard let count = CheckedSize.product(shape), count <= WeightFileLimits.tensorValues else {
            throw fail(.limit, objectPath, "declares shape \(shape); at most \(WeightFileLimits.tensorValues) values per tensor are read")
        }
        return DatasetInfo(shape: shape, storedType: Self.storedType(type.id), count: count)
    }

    /// Refuses data a reader must not follow or cannot hold: external or virtual storage (other
    /// files), contiguous data declared past the end of the file, chunked data never written.
    private func checkStorage(of dataset: HDF5Handle, count: Int, _ objectPath: String) throws(WeightFileError) {
        guard let creation = HDF5Handle(H5Dget_create_plist(dataset.id)), let type = HDF5Handle(H5Dget_type(dataset.id)) else {
            throw fail(.unreadable, objectPath, "cannot read its storage properties\(HDF5Library.lastError())")
        }
        guard H5Pget_external_count(creation.id) == 0 else {
            throw fail(.format, objectPath, "is stored in external files, which are not read")
        }
        guard count > 0 else { return }
        switch H5Pget_layout(creation.id) {
        case H5D_COMPACT:
            return
        case H5D_CONTIGUOUS:
            let offset = H5Dget_offset(dataset.id)
            guard offset != chdf5_undefined_address() else {
                throw fail(.format, objectPath, "declares \(count) values but stores none")
            }
            let bytes = CheckedSize.product(count, H5Tget_size(type.id))
            guard let bytes, let end = CheckedSize.sum(Int(clamping: offset), bytes), end <= byteCount else {
                throw fail(.format, objectPath, "declares \(count) values stored past the end of the \(byteCount)-byte file")
            }
        case H5D_CHUNKED:
            guard H5Dget_storage_size(dataset.id) > 0 else {
                throw fail(.format, objectPath, "declares \(count) values but stores none")
            }
        default:
            throw fail(.format, objectPath, "has a storage layout (virtual or unknown) that is not read")
        }
    }

    // MARK: helpers

    /// Opens the object at `objectPath` (not following external links), checking its kind.
    private func open(_ objectPath: String, as expected: ObjectKind? = nil) throws(WeightFileError) -> HDF5Handle {
        guard objectPath.utf8.count <= WeightFileLimits.nameBytes else {
            throw fail(.limit, String(objectPath.prefix(100)) + "...", "the path is longer than \(WeightFileLimits.nameBytes) bytes")
        }
        guard let object = HDF5Handle(H5Oopen(file.id, objectPath, linkAccess.id)) else {
            throw fail(.missing, objectPath, "no such group or dataset\(HDF5Library.lastError())")
        }
        if let expected {
            let type = H5Iget_type(object.id)
            let actual: ObjectKind = type == H5I_GROUP ? .group : type == H5I_DATASET ? .dataset : .other
            guard actual == expected else { throw fail(.format, objectPath, "is a \(actual), not a \(expected)") }
        }
        return object
    }

    private func fail(_ kind: WeightFileError.Kind, _ location: String, _ reason: String) -> WeightFileError {
        WeightFileError(kind, path: path, location: location, reason: reason)
    }

    /// Names are UTF-8 (Keras writes them so); invalid bytes become U+FFFD rather than an error.
    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func storedType(_ type: hid_t) -> TensorInfo.StoredType {
        let bits = H5Tget_size(type) * 8
        switch H5Tget_class(type) {
        case H5T_FLOAT: return .float(bits: bits)
        case H5T_INTEGER: return .integer(bits: bits, signed: H5Tget_sign(type) != H5T_SGN_NONE)
        case H5T_STRING: return .other("string")
        case H5T_COMPOUND: return .other("compound")
        case H5T_ENUM: return .other("enum")
        case H5T_ARRAY: return .other("array")
        case H5T_VLEN: return .other("variable-length sequence")
        case H5T_OPAQUE: return .other("opaque")
        case H5T_REFERENCE: return .other("reference")
        case H5T_BITFIELD: return .other("bitfield")
        case H5T_TIME: return .other("time")
        default: return .other("unknown type")
        }
    }
}
