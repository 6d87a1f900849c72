import DatasetKit
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry: arbitrary bytes read as an archive (libarchive picks the format and filters
/// from the bytes), every entry put through the unpack policy. A path the policy accepts must be
/// relative, with no empty, `.` or `..` component; reading may fail, but never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchiveEntries(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let path = "/dev/shm/dataset-fuzz-archive-\(getpid())"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    _ = write(fd, data, size)
    close(fd)
    defer { unlink(path) }
    guard let reader = try? ArchiveReader(path: path) else { return 0 }
    var entries = 0
    while entries < 10_000, let entry = try? reader.next() {
        entries += 1
        if case .write(let plan) = EntryPolicy.decide(entry) {
            precondition(!plan.components.isEmpty, "accepted an empty path")
            precondition(plan.components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("/") },
                         "accepted a path that can leave the folder: \(plan.components)")
        }
        while let block = try? reader.readBlock(), block.bytes.count > 0 {}
    }
    return 0
}
