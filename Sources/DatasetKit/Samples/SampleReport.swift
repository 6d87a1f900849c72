import Foundation

/// What `SampleWriter` wrote.
public struct SampleReport: Sendable, Codable, Equatable {
    /// The archive file or the top folder written.
    public var output: String
    public var images: Int
    /// Files written (images and metadata; in an archive, its file entries).
    public var files: Int
    /// Size of the archive, or of all files written.
    public var bytes: Int
    public var seconds: Double

    public init(output: String, images: Int, files: Int, bytes: Int, seconds: Double) {
        self.output = output
        self.images = images
        self.files = files
        self.bytes = bytes
        self.seconds = seconds
    }

    /// `wrote out/food-101.tar.gz: 200 images, 207 files, 8.1 MB in 1.2 s`
    public var line: String {
        let size = bytes >= 1_000_000 ? String(format: "%.1f MB", Double(bytes) / 1e6) : String(format: "%.1f kB", Double(bytes) / 1e3)
        return "wrote \(output): \(images) images, \(files) files, \(size)" + String(format: " in %.1f s", seconds)
    }
}
