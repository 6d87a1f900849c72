import CArchive
import Foundation

/// The archive formats `unpack` reads, written by libarchive's writer for tests.
enum FixtureArchiveFormat: String, CaseIterable, CustomStringConvertible {
    case tar, tarGz = "tar.gz", tarBz2 = "tar.bz2", tarXz = "tar.xz", zip

    var description: String { rawValue }
}

/// One member of a test archive.
struct FixtureEntry {
    enum Kind {
        case file([UInt8])
        case directory
        case symlink(String)
        case hardlink(String)
        case characterDevice
        case blockDevice
        case fifo
        case socket
    }

    var path: String
    var kind: Kind
    var mode: UInt32
    var modified: Int = 1_600_000_000
    /// The name's bytes as stored, when they are not a Swift string (invalid UTF-8, legacy
    /// encodings); overrides `path`.
    var rawPath: [UInt8]? = nil

    static func file(_ path: String, _ text: String, mode: UInt32 = 0o644) -> FixtureEntry {
        FixtureEntry(path: path, kind: .file(Array(text.utf8)), mode: mode)
    }

    static func file(_ path: String, bytes: [UInt8], mode: UInt32 = 0o644) -> FixtureEntry {
        FixtureEntry(path: path, kind: .file(bytes), mode: mode)
    }

    static func file(rawPath: [UInt8], _ text: String) -> FixtureEntry {
        FixtureEntry(path: String(decoding: rawPath, as: UTF8.self), kind: .file(Array(text.utf8)), mode: 0o644,
                     rawPath: rawPath)
    }

    static func directory(_ path: String, mode: UInt32 = 0o755) -> FixtureEntry {
        FixtureEntry(path: path, kind: .directory, mode: mode)
    }

    static func symlink(_ path: String, to target: String) -> FixtureEntry {
        FixtureEntry(path: path, kind: .symlink(target), mode: 0o777)
    }

    static func hardlink(_ path: String, to target: String) -> FixtureEntry {
        FixtureEntry(path: path, kind: .hardlink(target), mode: 0o644)
    }

    static func special(_ path: String, _ kind: Kind) -> FixtureEntry {
        FixtureEntry(path: path, kind: kind, mode: 0o644)
    }
}

/// Writes archives with libarchive's writer, entry by entry, exactly as given (unsafe paths
/// included: that is what the safety tests need).
enum ArchiveFixtures {
    @discardableResult
    static func write(_ entries: [FixtureEntry], format: FixtureArchiveFormat, to path: String) -> String {
        let archive = archive_write_new()!
        defer { archive_write_free(archive) }
        switch format {
        case .zip:
            check(archive_write_set_format_zip(archive), archive)
        default:
            check(archive_write_set_format_pax_restricted(archive), archive)
        }
        switch format {
        case .tarGz: check(archive_write_add_filter_gzip(archive), archive)
        case .tarBz2: check(archive_write_add_filter_bzip2(archive), archive)
        case .tarXz: check(archive_write_add_filter_xz(archive), archive)
        case .tar, .zip: check(archive_write_add_filter_none(archive), archive)
        }
        check(archive_write_open_filename(archive, path), archive)
        for item in entries {
            let entry = archive_entry_new()!
            defer { archive_entry_free(entry) }
            if let raw = item.rawPath {
                (raw + [0]).withUnsafeBufferPointer { archive_entry_set_pathname(entry, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
            } else {
                archive_entry_set_pathname(entry, item.path)
            }
            archive_entry_set_perm(entry, mode_t(item.mode))
            archive_entry_set_mtime(entry, time_t(item.modified), 0)
            var data: [UInt8] = []
            switch item.kind {
            case .file(let bytes):
                archive_entry_set_filetype(entry, DS_AE_IFREG)
                archive_entry_set_size(entry, la_int64_t(bytes.count))
                data = bytes
            case .directory:
                archive_entry_set_filetype(entry, DS_AE_IFDIR)
            case .symlink(let target):
                archive_entry_set_filetype(entry, DS_AE_IFLNK)
                archive_entry_set_symlink(entry, target)
            case .hardlink(let target):
                archive_entry_set_filetype(entry, DS_AE_IFREG)
                archive_entry_set_hardlink(entry, target)
                archive_entry_set_size(entry, 0)
            case .characterDevice:
                archive_entry_set_filetype(entry, DS_AE_IFCHR)
                archive_entry_set_rdev(entry, dev_t(0x0103))
            case .blockDevice:
                archive_entry_set_filetype(entry, DS_AE_IFBLK)
                archive_entry_set_rdev(entry, dev_t(0x0801))
            case .fifo:
                archive_entry_set_filetype(entry, DS_AE_IFIFO)
            case .socket:
                archive_entry_set_filetype(entry, DS_AE_IFSOCK)
            }
            check(archive_write_header(archive, entry), archive)
            if !data.isEmpty {
                let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                precondition(written == data.count, "fixture: short write")
            }
        }
        check(archive_write_close(archive), archive)
        return path
    }

    /// Food-101's layout in miniature: `food-101/images/<class>/<id>.jpg` and `food-101/meta/`.
    static func food101(classes: [String], perClass: Int) -> [FixtureEntry] {
        var entries: [FixtureEntry] = [.directory("food-101"), .directory("food-101/images")]
        for name in classes {
            entries.append(.directory("food-101/images/\(name)"))
            for i in 0..<perClass { entries.append(.file("food-101/images/\(name)/\(100 + i).jpg", "jpeg \(name) \(i)")) }
        }
        entries.append(.directory("food-101/meta"))
        entries.append(.file("food-101/meta/classes.txt", classes.joined(separator: "\n") + "\n"))
        entries.append(.file("food-101/meta/train.json", "{}"))
        entries.append(.file("food-101/meta/test.json", "{}"))
        return entries
    }

    /// Recipes5k's layout in miniature: `Recipes5k/images/<class>/` and `Recipes5k/annotations/`.
    static func recipes5k(classes: [String], perClass: Int) -> [FixtureEntry] {
        var entries: [FixtureEntry] = []
        for name in classes {
            for i in 0..<perClass {
                entries.append(.file("Recipes5k/images/\(name)/\(i)_\(name)_hostedLargeUrl.jpg", "jpeg \(name) \(i)"))
            }
        }
        for file in ["classes_Recipes5k.txt", "train_images.txt", "train_labels.txt", "test_images.txt"] {
            entries.append(.file("Recipes5k/annotations/\(file)", "x\n"))
        }
        return entries
    }

    /// `bytes` compressed by libarchive's writer as one gzip stream (no tar inside).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        let archive = archive_write_new()!
        defer { archive_write_free(archive) }
        check(archive_write_set_format_raw(archive), archive)
        check(archive_write_add_filter_gzip(archive), archive)
        var output = [UInt8](repeating: 0, count: bytes.count + bytes.count / 100 + 4096)
        var used = 0
        check(output.withUnsafeMutableBytes { archive_write_open_memory(archive, $0.baseAddress, $0.count, &used) }, archive)
        let entry = archive_entry_new()!
        defer { archive_entry_free(entry) }
        archive_entry_set_filetype(entry, DS_AE_IFREG)
        check(archive_write_header(archive, entry), archive)
        let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "fixture: short write")
        check(archive_write_close(archive), archive)
        return Array(output[..<used])
    }

    private static func check(_ status: Int32, _ archive: OpaquePointer) {
        guard status == DS_ARCHIVE_OK || status == DS_ARCHIVE_WARN else {
            fatalError("fixture: libarchive: \(String(cString: archive_error_string(archive)))")
        }
    }
}
