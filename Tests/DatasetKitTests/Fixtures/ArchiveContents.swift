import CArchive
import Foundation
@testable import DatasetKit

/// One entry read back from an archive.
struct ArchiveMember: Equatable {
    var path: String
    var isDirectory: Bool
    var data: [UInt8]
    var mode: Int
    /// nil when the entry carries no time.
    var mtime: Int?
    var uid: Int
    var gid: Int

    var text: String { String(decoding: data, as: UTF8.self) }
}

/// Reads archives with libarchive (any format and filter it knows), independently of the
/// code under test, so the tests check what an outside reader sees.
enum ArchiveContents {
    struct ReadError: Error, CustomStringConvertible { var description: String }

    static func read(_ path: String) throws -> [ArchiveMember] {
        guard let archive = archive_read_new() else { throw ReadError(description: "out of memory") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_all(archive)
        guard archive_read_open_filename(archive, path, 65536) == ARCHIVE_OK else {
            throw ReadError(description: String(cString: archive_error_string(archive)))
        }
        var members: [ArchiveMember] = []
        var entry: OpaquePointer?
        while true {
            // In a UTF-8 locale, as the writer, so non-ASCII names convert.
            let status = UTF8Locale.run { archive_read_next_header(archive, &entry) }
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw ReadError(description: String(cString: archive_error_string(archive)))
            }
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                if n < 0 { throw ReadError(description: String(cString: archive_error_string(archive))) }
                if n == 0 { break }
                data += buffer[0..<n]
            }
            let type = archive_entry_filetype(entry)
            guard let name = UTF8Locale.run({ archive_entry_pathname_utf8(entry) }).map({ String(cString: $0) }) else {
                throw ReadError(description: "an entry name is not valid UTF-8")
            }
            members.append(ArchiveMember(
                path: name, isDirectory: type == DS_AE_IFDIR, data: data,
                mode: Int(archive_entry_perm(entry)),
                mtime: archive_entry_mtime_is_set(entry) != 0 ? Int(archive_entry_mtime(entry)) : nil,
                uid: Int(archive_entry_uid(entry)), gid: Int(archive_entry_gid(entry))))
        }
        return members
    }

    /// Members by path.
    static func byPath(_ path: String) throws -> [String: ArchiveMember] {
        Dictionary(uniqueKeysWithValues: try read(path).map { ($0.path, $0) })
    }
}
