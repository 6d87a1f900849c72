import Foundation

/// The container of a pretrained weight file, told by its first bytes rather than its name
/// (downloads get renamed; Keras' own files end in `.h5` whatever their layout).
public enum WeightFileFormat: String, Sendable, Hashable, CaseIterable {
    /// HDF5: Keras `.h5` and `.weights.h5` (read with `KerasWeightFile`).
    case hdf5
    /// safetensors: timm and Hugging Face `model.safetensors` (read with `SafeTensors`).
    case safetensors

    /// HDF5's format signature. The specification also allows it at 512, 1024, 2048, ... after
    /// a user block, but Keras never writes one, so only offset 0 is checked.
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The format of the file at `path`, from its first 9 bytes.
    public static func detect(path: String) throws(WeightFileError) -> WeightFileFormat {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WeightFileError(.unreadable, path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw WeightFileError(.unreadable, path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw WeightFileError(.unreadable, path: path, reason: "not a regular file") }
        var prefix = [UInt8](repeating: 0, count: 9)
        let count = pread(fd, &prefix, prefix.count, 0)
        guard count >= 0 else { throw WeightFileError(.unreadable, path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(prefix.prefix(count))
        if let format = detect(prefix: bytes, fileSize: Int(info.st_size)) { return format }
        throw WeightFileError(.format, path: path, reason: unknownReason(bytes))
    }

    /// The format a file starting with `prefix` (at least its first 9 bytes) is in, or nil. A
    /// safetensors file starts with its header's length (8 bytes, little-endian), which must fit
    /// in the file, then the header's opening `{`.
    public static func detect(prefix: [UInt8], fileSize: Int) -> WeightFileFormat? {
        if prefix.starts(with: hdf5Signature) { return .hdf5 }
        guard prefix.count >= 9, prefix[8] == UInt8(ascii: "{") else { return nil }
        let length = prefix[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length >= 2, fileSize >= 8, length <= UInt64(fileSize - 8) else { return nil }
        return .safetensors
    }

    private static func unknownReason(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        let known = "neither HDF5 (a Keras .h5) nor safetensors"
        if bytes.isEmpty { return "the file is empty: \(known)" }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return "a zip archive (a Keras 3 .keras model, whose model.weights.h5 member is readable once extracted, "
                + "or a PyTorch .pth, which is not read): \(known)"
        }
        return "\(known): it starts with bytes \(shown)"
    }
}
