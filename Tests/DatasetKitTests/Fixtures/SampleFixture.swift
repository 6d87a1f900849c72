import Foundation
@testable import DatasetKit

/// Writes sample layouts into temporary folders for the tests.
enum SampleFixture {
    /// Tiny images so the tests stay fast.
    static let tiny = SamplePhotoStyle(maxSide: 24)

    static func write(_ layout: some SampleLayout, jobs: Int = 2) throws -> (TemporaryFolder, SampleReport) {
        let folder = TemporaryFolder()
        let report = try SampleWriter(jobs: jobs).write(layout, into: folder.path)
        return (folder, report)
    }

    /// Lines of a text file, with their line endings checked: all `\r\n` or all `\n`.
    static func lines(_ text: String, crlf: Bool) -> [String]? {
        let ending = crlf ? "\r\n" : "\n"
        guard text.hasSuffix(ending) else { return nil }
        let parts = text.dropLast(ending.count).components(separatedBy: ending)
        if !crlf, parts.contains(where: { $0.contains("\r") }) { return nil }
        if crlf, parts.contains(where: { $0.contains("\n") }) { return nil }
        return parts
    }
}
