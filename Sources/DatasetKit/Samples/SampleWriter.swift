import Foundation

/// Writes a `SampleLayout` into a folder: an archive through `ArchiveWriter` (entries in order,
/// atomically), or a tree of atomically written files. Images are encoded on `jobs` threads in
/// windows while earlier ones are written, so memory holds a few windows of images, not the
/// dataset.
public struct SampleWriter: Sendable {
    public var jobs: Int
    public var progress: ProgressReporter?

    public init(jobs: Int, progress: ProgressReporter? = nil) {
        self.jobs = max(1, jobs)
        self.progress = progress
    }

    /// Writes `layout` under `folder` (created when missing) and reports what was written.
    public func write(_ layout: some SampleLayout, into folder: String) throws(SampleWriteError) -> SampleReport {
        let start = Date()
        do { try FileIO.createDirectories(folder) } catch { throw .file(error) }
        let entries = layout.entries()
        let output: String, bytes: Int
        switch layout.target {
        case .archive(let name, let format):
            output = folder + "/" + name
            let writer: ArchiveWriter
            do { writer = try ArchiveWriter(path: output, format: format) } catch { throw .archive(error) }
            // Zip times are local times: leave them out so the bytes are the same in every zone.
            let mtime: Int? = if case .zip = format { nil } else { ArchiveWriter.defaultModificationTime }
            try forEachEncoded(entries) { (entry, data) throws(SampleWriteError) in
                do throws(ArchiveWriteError) {
                    if let data {
                        try writer.addFile(path: entry.path, data: data, mtime: mtime)
                    } else {
                        try writer.addDirectory(path: entry.path, mtime: mtime)
                    }
                } catch { throw .archive(error) }
            }
            do { try writer.finish() } catch { throw .archive(error) }
            bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        case .folder(let name):
            output = name.map { folder + "/" + $0 } ?? folder
            var total = 0
            try forEachEncoded(entries) { (entry, data) throws(SampleWriteError) in
                let path = folder + "/" + entry.path
                do throws(FileError) {
                    if let data {
                        try FileIO.createDirectories(FileIO.split(path).0)
                        try FileIO.writeAtomically(data, to: path)
                        total += data.count
                    } else {
                        try FileIO.createDirectories(String(path.dropLast()))
                    }
                } catch { throw .file(error) }
            }
            bytes = total
        }
        return SampleReport(output: output, images: layout.imageCount,
                            files: entries.count { if case .directory = $0.content { false } else { true } },
                            bytes: bytes, seconds: Date().timeIntervalSince(start))
    }

    /// Calls `body` with each entry in order and its bytes (nil for a directory), encoding
    /// images in parallel ahead of the writing.
    private func forEachEncoded(_ entries: [SampleEntry],
                                _ body: (SampleEntry, [UInt8]?) throws(SampleWriteError) -> Void) throws(SampleWriteError) {
        let progress = self.progress
        try ParallelRunner.forEachInOrder(count: entries.count, jobs: jobs, window: jobs * 8) { index -> Result<[UInt8], ImageError>? in
            guard case .image(let make) = entries[index].content else { return nil }
            let result = Result { () throws(ImageError) in try make() }
            progress?.record(.done())
            return result
        } consume: { (index, encoded) throws(SampleWriteError) in
            let entry = entries[index]
            switch (entry.content, encoded) {
            case (.directory, _): try body(entry, nil)
            case (.file(let data), _): try body(entry, data)
            case (.image, .success(let data)?): try body(entry, data)
            case (.image, .failure(let error)?): throw .image(path: entry.path, error)
            case (.image, nil): throw .image(path: entry.path, .encodeFailed(format: .jpeg, detail: "not rendered"))
            }
        }
    }
}
