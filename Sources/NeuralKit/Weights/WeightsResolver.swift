#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import DatasetKit

/// Turns `--weights` into a file: for `imagenet`, the file Keras would use for the backbone,
/// found where Keras keeps it or in the tool's cache, else downloaded into the cache.
///
/// Folders Keras owns (`$KERAS_HOME/models`, `~/.keras/models`) are only read. A found file is
/// hashed once against Keras' published hash; a `<file name>.verified` record in the cache lets
/// later runs skip that. A damaged file is passed over (reported as `.skipped`), never deleted;
/// one in the cache is replaced once a good download is complete.
public struct WeightsResolver: Sendable {
    public var locations: WeightsLocations
    public var settings: DownloadSettings

    public init(locations: WeightsLocations, settings: DownloadSettings = DownloadSettings()) {
        self.locations = locations
        self.settings = settings
    }

    /// Reads the folders and mirror from `environment` (pass `ProcessInfo.processInfo.environment`).
    public init(environment: [String: String], settings: DownloadSettings = DownloadSettings()) throws(WeightsError) {
        self.init(locations: try WeightsLocations(environment: environment), settings: settings)
    }

    public typealias Events = @Sendable (WeightsEvent) -> Void

    /// The file for `choice`: nil for `.none`, the path unchanged for `.file`, and for
    /// `.imagenet` what `resolveImageNet` finds or downloads.
    public func resolve(_ choice: WeightsChoice, backbone: String, includeTop: Bool,
                        events: Events? = nil) throws(WeightsError) -> ResolvedWeights? {
        switch choice {
        case .none: return nil
        case .file(let path): return ResolvedWeights(path: path, source: .given, verified: false)
        case .imagenet: return try resolveImageNet(backbone: backbone, includeTop: includeTop, events: events)
        }
    }

    /// The ImageNet file for the backbone, found or downloaded.
    public func resolveImageNet(backbone: String, includeTop: Bool, events: Events? = nil) throws(WeightsError) -> ResolvedWeights {
        guard let entry = KerasApplicationWeights.lookup(backbone: backbone, includeTop: includeTop) else {
            throw .unknownBackbone(backbone, includeTop: includeTop)
        }
        if let found = find(entry, events: events) { return found }
        return try download(entry, events: events)
    }

    /// The first searched folder holding `entry`'s file with the right digest, or nil.
    public func find(_ entry: KerasApplicationWeights, events: Events? = nil) -> ResolvedWeights? {
        for folder in locations.searchFolders {
            let path = folder + "/" + entry.fileName
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                events?(.skipped(path: path, reason: "not a regular file"))
                continue
            }
            guard let digest = entry.digest else {
                return ResolvedWeights(path: path, source: .found, verified: false)
            }
            switch check(path, of: entry, against: digest, events: events) {
            case .success:
                return ResolvedWeights(path: path, source: .found, verified: true)
            case .failure(let reason):
                events?(.skipped(path: path, reason: reason))
            }
        }
        return nil
    }

    /// Downloads `entry` into the cache (creating it), resuming an earlier partial download.
    public func download(_ entry: KerasApplicationWeights, events: Events? = nil) throws(WeightsError) -> ResolvedWeights {
        let address = try locations.url(for: entry)
        do { try FileIO.createDirectories(locations.cacheFolder) } catch { throw .cacheFolder(error) }
        let destination = locations.cacheFolder + "/" + entry.fileName
        let failed = { (cause: DownloadError) -> WeightsError in
            .downloadFailed(fileName: entry.fileName, url: address, folders: locations.searchFolders, cause: cause)
        }
        guard let url = URL(string: address) else {
            throw failed(.badResponse(url: address, reason: "not a valid address"))
        }
        events?(.downloading(url: address, destination: destination))
        var progress: (@Sendable (DownloadProgress) -> Void)? = nil
        if let events { progress = { events(.progress($0)) } }
        do {
            try FileDownload(url: url, destination: destination, expectedDigest: entry.digest, settings: settings)
                .run(progress: progress)
        } catch {
            throw failed(error)
        }
        if let digest = entry.digest { record(destination, digest: digest, entry: entry) }
        return ResolvedWeights(path: destination, source: .downloaded, verified: entry.digest != nil)
    }

    private enum Check { case success, failure(String) }

    /// Whether `path` has `digest`, trusting a fitting record over re-hashing.
    private func check(_ path: String, of entry: KerasApplicationWeights, against digest: ArchiveDigest,
                       events: Events?) -> Check {
        if let now = VerifiedStamp(file: path, digest: digest), VerifiedStamp.read(stampPath(entry)) == now {
            return .success
        }
        events?(.verifying(path: path))
        let actual: String
        do { actual = try FileDigest.compute(digest.algorithm, ofFile: path) } catch {
            return .failure(error.description)
        }
        guard actual == digest.hex else {
            return .failure("its \(digest.algorithm.rawValue) is \(actual), Keras publishes \(digest.hex) (damaged, truncated or another version)")
        }
        record(path, digest: digest, entry: entry)
        return .success
    }

    /// One record per file name, in the cache whichever folder the file is in (Keras' folders
    /// are never written); it names the path, so a record of another copy does not fit.
    private func stampPath(_ entry: KerasApplicationWeights) -> String {
        locations.cacheFolder + "/" + entry.fileName + ".verified"
    }

    /// Best effort: without a record the file is merely hashed again next time.
    private func record(_ path: String, digest: ArchiveDigest, entry: KerasApplicationWeights) {
        guard let now = VerifiedStamp(file: path, digest: digest) else { return }
        try? FileIO.createDirectories(locations.cacheFolder)
        try? now.write(stampPath(entry))
    }
}
