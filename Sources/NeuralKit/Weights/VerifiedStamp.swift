#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DatasetKit

/// A record that a weight file had the right digest, kept in the tool's cache as
/// `<file name>.verified` so later runs skip re-hashing hundreds of MB.
///
/// It holds the file's path, device, inode, size, modification and change times: a file that
/// was replaced, rewritten or touched no longer fits, and is hashed again. The change time
/// cannot be set back by ordinary means, so a copy with forged times does not fit either. The
/// record is read as hostile input: anything malformed, oversized or not fitting is ignored.
struct VerifiedStamp: Equatable {
    var path: String
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64
    var algorithm: ArchiveDigest.Algorithm
    var hash: String

    private static let magic = "dataset-verified 1"
    private static let maxBytes = 4096

    /// The stamp `path` would have now with `digest`; nil when it is not a regular file.
    init?(file path: String, digest: ArchiveDigest) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.path = path
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_ctim.tv_nsec)
        algorithm = digest.algorithm
        hash = digest.hex
    }

    /// Parses the text `text` wrote; nil unless every line is exactly as expected.
    init?(parsing bytes: [UInt8]) {
        guard bytes.count <= Self.maxBytes, let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 10, lines[0] == Self.magic, lines[9].isEmpty else { return nil }
        var fields: [String: Substring] = [:]
        for line in lines[1..<9] {
            guard let space = line.firstIndex(of: " ") else { return nil }
            let key = String(line[..<space])
            guard fields[key] == nil else { return nil }
            fields[key] = line[line.index(after: space)...]
        }
        guard let path = fields["path"], path.hasPrefix("/"),
              let device = fields["device"].flatMap({ UInt64($0) }), let inode = fields["inode"].flatMap({ UInt64($0) }),
              let size = fields["size"].flatMap({ Int64($0) }), size >= 0,
              let modified = fields["modified"].flatMap({ Int64($0) }), let changed = fields["changed"].flatMap({ Int64($0) }),
              let algorithm = fields["algorithm"].flatMap({ ArchiveDigest.Algorithm(rawValue: String($0)) }),
              let hash = fields["hash"], hash.count == (algorithm == .md5 ? 32 : 64),
              hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        self.path = String(path)
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
        self.algorithm = algorithm
        self.hash = String(hash)
    }

    var text: String {
        [Self.magic, "path \(path)", "device \(device)", "inode \(inode)", "size \(size)", "modified \(modified)",
         "changed \(changed)", "algorithm \(algorithm.rawValue)", "hash \(hash)", ""].joined(separator: "\n")
    }

    /// The stamp stored at `sidecar`, or nil when there is none or it is unusable.
    static func read(_ sidecar: String) -> VerifiedStamp? {
        var info = stat()
        guard lstat(sidecar, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= maxBytes,
              let bytes = try? FileIO.read(sidecar, limit: (maxBytes, "(none)")) else { return nil }
        return VerifiedStamp(parsing: bytes)
    }

    /// Stores the stamp at `sidecar` atomically. A path that would break the line format is
    /// not recorded (the file is then simply hashed on every run).
    func write(_ sidecar: String) throws(FileError) {
        guard !path.contains("\n") else { return }
        try FileIO.writeAtomically(Array(text.utf8), to: sidecar)
    }
}
