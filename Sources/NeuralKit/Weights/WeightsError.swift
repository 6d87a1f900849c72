import DatasetKit

/// Why `--weights` could not be turned into a file, in the user's terms.
public enum WeightsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--weights ""`.
    case emptyChoice
    /// No ImageNet weights are known for this backbone (or this variant of it).
    case unknownBackbone(String, includeTop: Bool)
    /// `DATASET_WEIGHTS_MIRROR` is not an http(s) address.
    case badMirror(String)
    /// Neither `XDG_CACHE_HOME` nor a home folder is known, so there is no cache to download into.
    case noCacheFolder
    /// The cache folder could not be created.
    case cacheFolder(FileError)
    /// The file is on no searched folder and could not be downloaded. `folders` are where the
    /// user may put it by hand.
    case downloadFailed(fileName: String, url: String, folders: [String], cause: DownloadError)

    public var description: String {
        switch self {
        case .emptyChoice:
            return "--weights needs a value: none, imagenet or the path of a weight file"
        case .unknownBackbone(let name, let includeTop):
            let known = KerasApplicationWeights.backbones.joined(separator: ", ")
            return "no ImageNet weights are known for backbone '\(printableName(name))'"
                + (includeTop ? " with its classifier" : "") + " (known: \(known))"
        case .badMirror(let value):
            return "DATASET_WEIGHTS_MIRROR must be an http:// or https:// address, not '\(printableName(value))'"
        case .noCacheFolder:
            return "cannot tell where to download weights: set HOME or XDG_CACHE_HOME"
        case .cacheFolder(let error):
            return "cannot create the weights cache: \(error)"
        case .downloadFailed(let fileName, let url, let folders, let cause):
            let places = folders.map { printableName($0) + "/" }
            let into = places.count == 1 ? places[0]
                : places.dropLast().joined(separator: ", ") + " or " + places.last!
            return "cannot get \(fileName) from \(url): \(cause)\n"
                + "To work without the download, fetch \(url) elsewhere and copy \(fileName) into \(into)"
        }
    }
}
