import CHDF5
import Foundation

/// Writes HDF5 files through libhdf5 for the weight readers' tests: groups, string attributes
/// in the encodings Keras' writers used, and datasets of several stored types and layouts.
/// Test-only; every failure stops the test with the call that failed.
public final class HDF5Writer {
    /// How a string attribute is stored.
    public enum StringEncoding: Sendable {
        /// Fixed-length, NUL-padded, as long as the longest value: that value has no
        /// terminator (numpy `S` arrays through h5py 2, Keras 1 and 2).
        case fixedNullPadded
        /// Variable-length (h5py 3 `str`, Keras 3).
        case variable
    }

    /// A dataset's stored type.
    public enum StoredType: Sendable {
        case float32, float64, int64
        /// IEEE binary16, as h5py defines it; values are given as their bit patterns.
        case float16
    }

    public let path: String
    private let file: hid_t

    /// With `latestFormat` the file uses HDF5 1.8+ structures (link messages instead of
    /// symbol tables, attributes larger than 64 KiB), as h5py's `libver="latest"` does.
    public init(path: String, latestFormat: Bool = false) {
        self.path = path
        _ = H5Eset_auto2(chdf5_error_default(), nil, nil)
        let access = H5Pcreate(chdf5_file_access())
        defer { H5Pclose(access) }
        if latestFormat { check(H5Pset_libver_bounds(access, chdf5_libver_latest(), chdf5_libver_latest()), "H5Pset_libver_bounds") }
        file = H5Fcreate(path, chdf5_acc_trunc(), chdf5_default(), access)
        precondition(file >= 0, "H5Fcreate \(path)")
    }

    /// Flushes and closes the file; the writer is unusable afterwards.
    public func close() {
        check(H5Fclose(file), "H5Fclose")
    }

    /// Creates the group at `objectPath` and any missing groups above it.
    public func group(_ objectPath: String) {
        var current = ""
        for component in objectPath.split(separator: "/") {
            current += "/" + component
            if H5Lexists(file, current, chdf5_default()) > 0 { continue }
            let group = H5Gcreate2(file, current, chdf5_default(), chdf5_default(), chdf5_default())
            precondition(group >= 0, "H5Gcreate2 \(current)")
            check(H5Gclose(group), "H5Gclose")
        }
    }

    /// A string attribute: a 1-D array, or a scalar when `scalar` (one value).
    public func strings(_ values: [String], attribute name: String, on objectPath: String,
                        encoding: StringEncoding, scalar: Bool = false) {
        precondition(!scalar || values.count == 1)
        let type = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(type) }
        let space = scalar ? H5Screate(H5S_SCALAR) : simpleSpace([values.count])
        defer { H5Sclose(space) }
        switch encoding {
        case .fixedNullPadded:
            let size = max(values.map(\.utf8.count).max() ?? 1, 1)
            check(H5Tset_size(type, size), "H5Tset_size")
            check(H5Tset_strpad(type, H5T_STR_NULLPAD), "H5Tset_strpad")
            var bytes = [UInt8](repeating: 0, count: max(values.count * size, 1))
            for (index, value) in values.enumerated() {
                bytes.replaceSubrange((index * size)..<(index * size + value.utf8.count), with: Array(value.utf8))
            }
            writeAttribute(name, on: objectPath, type: type, space: space, bytes)
        case .variable:
            check(H5Tset_size(type, chdf5_variable()), "H5Tset_size")
            check(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset")
            let copies = values.map { strdup($0) }
            defer { copies.forEach { free($0) } }
            var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
            if pointers.isEmpty { pointers = [nil] }
            writeAttribute(name, on: objectPath, type: type, space: space, pointers)
        }
    }

    /// An empty float64 array attribute: how h5py stores an empty Python list (Keras' empty
    /// `weight_names`).
    public func emptyFloat64Array(attribute name: String, on objectPath: String) {
        let space = simpleSpace([0])
        defer { H5Sclose(space) }
        writeAttribute(name, on: objectPath, type: chdf5_ieee_f64le(), space: space, [Double]())
    }

    /// An int64 array attribute (a non-string `weight_names` a damaged file might hold).
    public func int64Array(_ values: [Int64], attribute name: String, on objectPath: String) {
        let space = simpleSpace([values.count])
        defer { H5Sclose(space) }
        writeAttribute(name, on: objectPath, type: chdf5_std_i64le(), space: space, values)
    }

    /// A float dataset (float32, float64 or float16 stored; `values` converted as libhdf5 does).
    public func dataset(_ objectPath: String, shape: [Int], values: [Float], as stored: StoredType = .float32,
                        chunks: [Int]? = nil, deflate: Bool = false) {
        precondition(shape.reduce(1, *) == values.count, "\(objectPath): shape \(shape) for \(values.count) values")
        switch stored {
        case .float32, .float64:
            dataset(objectPath, shape: shape, fileType: stored == .float32 ? chdf5_ieee_f32le() : chdf5_ieee_f64le(),
                    memoryType: chdf5_native_float(), chunks: chunks, deflate: deflate, values)
        case .int64:
            dataset(objectPath, shape: shape, fileType: chdf5_std_i64le(), memoryType: chdf5_std_i64le(),
                    chunks: chunks, deflate: deflate, values.map { Int64($0) })
        case .float16:
            preconditionFailure("float16 values are written by their bits: use dataset(_:shape:float16Bits:)")
        }
    }

    /// A float16 dataset from binary16 bit patterns, written without conversion.
    public func dataset(_ objectPath: String, shape: [Int], float16Bits bits: [UInt16]) {
        let type = Self.float16Type()
        defer { H5Tclose(type) }
        dataset(objectPath, shape: shape, fileType: type, memoryType: type, chunks: nil, deflate: false, bits)
    }

    /// A float32 dataset of `shape` that is declared but never written: no storage is
    /// allocated, so the file stays small whatever the shape says. `maxShape` lets a chunked
    /// dataset declare dimensions beyond what a fixed one may.
    public func declaredDataset(_ objectPath: String, shape: [UInt64], chunks: [UInt64]? = nil) {
        var dimensions = shape.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dimensions.count), &dimensions, nil)
        precondition(space >= 0, "H5Screate_simple \(shape)")
        defer { H5Sclose(space) }
        let creation = H5Pcreate(chdf5_dataset_create())
        defer { H5Pclose(creation) }
        if var chunks = chunks.map({ $0.map { hsize_t($0) } }) {
            check(H5Pset_chunk(creation, Int32(chunks.count), &chunks), "H5Pset_chunk")
        }
        let dataset = H5Dcreate2(file, objectPath, chdf5_ieee_f32le(), space, chdf5_default(), creation, chdf5_default())
        precondition(dataset >= 0, "H5Dcreate2 \(objectPath) \(shape)")
        check(H5Dclose(dataset), "H5Dclose")
    }

    // MARK: -

    private func dataset<T>(_ objectPath: String, shape: [Int], fileType: hid_t, memoryType: hid_t,
                            chunks: [Int]?, deflate: Bool, _ values: [T]) {
        let space = simpleSpace(shape)
        defer { H5Sclose(space) }
        let creation = H5Pcreate(chdf5_dataset_create())
        defer { H5Pclose(creation) }
        if let chunks {
            var dimensions = chunks.map { hsize_t($0) }
            check(H5Pset_chunk(creation, Int32(dimensions.count), &dimensions), "H5Pset_chunk")
            if deflate { check(H5Pset_deflate(creation, 6), "H5Pset_deflate") }
        }
        let dataset = H5Dcreate2(file, objectPath, fileType, space, chdf5_default(), creation, chdf5_default())
        precondition(dataset >= 0, "H5Dcreate2 \(objectPath)")
        defer { H5Dclose(dataset) }
        if !values.isEmpty {
            values.withUnsafeBytes { check(H5Dwrite(dataset, memoryType, chdf5_all(), chdf5_all(), chdf5_default(), $0.baseAddress), "H5Dwrite \(objectPath)") }
        }
    }

    private func writeAttribute<T>(_ name: String, on objectPath: String, type: hid_t, space: hid_t, _ values: [T]) {
        let object = H5Oopen(file, objectPath, chdf5_default())
        precondition(object >= 0, "H5Oopen \(objectPath)")
        defer { H5Oclose(object) }
        let attribute = H5Acreate2(object, name, type, space, chdf5_default(), chdf5_default())
        precondition(attribute >= 0, "H5Acreate2 \(objectPath) \(name)")
        defer { H5Aclose(attribute) }
        values.withUnsafeBytes { check(H5Awrite(attribute, type, $0.baseAddress), "H5Awrite \(objectPath) \(name)") }
    }

    private func simpleSpace(_ shape: [Int]) -> hid_t {
        var dimensions = shape.map { hsize_t($0) }
        let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dimensions.count), &dimensions, nil)
        precondition(space >= 0, "H5Screate \(shape)")
        return space
    }

    /// IEEE binary16 as h5py builds it: a float32 type narrowed to 1 sign, 5 exponent and 10
    /// mantissa bits with bias 15.
    private static func float16Type() -> hid_t {
        let type = H5Tcopy(chdf5_ieee_f32le())
        check(H5Tset_fields(type, 15, 10, 5, 0, 10), "H5Tset_fields")
        check(H5Tset_size(type, 2), "H5Tset_size")
        check(H5Tset_ebias(type, 15), "H5Tset_ebias")
        return type
    }
}

private func check(_ status: herr_t, _ call: String) {
    precondition(status >= 0, "\(call) failed")
}
