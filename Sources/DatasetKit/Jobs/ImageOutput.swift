/// Which format a command writes its images in.
public enum OutputFormatChoice: String, Sendable, Hashable, CaseIterable, Codable {
    case jpg, png
    /// The format the source file's extension names (BMP and PPM become PNG: we do not write them).
    case keep
}

/// How a command encodes the images it writes: shared by `resize`, `augment`, `labels`.
public struct ImageOutput: Sendable, Hashable, Codable {
    public var format: OutputFormatChoice
    public var quality: Int
    public var subsampling: ChromaSubsampling
    public var pngCompression: Int

    public init(format: OutputFormatChoice = .jpg, quality: Int = 90, subsampling: ChromaSubsampling = .s420,
                pngCompression: Int = 6) {
        self.format = format
        self.quality = quality
        self.subsampling = subsampling
        self.pngCompression = pngCompression
    }

    /// The encoder settings for an output made from `sourcePath`.
    public func encodeFormat(forSource sourcePath: String) -> EncodeFormat {
        switch targetFormat(forSource: sourcePath) {
        case .jpeg: .jpeg(quality: quality, subsampling: subsampling)
        default: .png(compressionLevel: pngCompression)
        }
    }

    /// The output's extension: the source's own spelling when keeping a JPEG or PNG, else ours.
    public func outputExtension(forSource sourcePath: String) -> String {
        let ext = FileTree.pathExtension(sourcePath)
        let target = targetFormat(forSource: sourcePath)
        if format == .keep, ImageFormat(fileExtension: ext) == target { return ext }
        return target.preferredExtension
    }

    private func targetFormat(forSource sourcePath: String) -> ImageFormat {
        switch format {
        case .jpg: return .jpeg
        case .png: return .png
        case .keep: return ImageFormat(fileExtension: FileTree.pathExtension(sourcePath)) == .jpeg ? .jpeg : .png
        }
    }
}
