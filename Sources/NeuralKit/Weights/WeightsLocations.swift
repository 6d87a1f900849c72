#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folders where ImageNet weight files are looked for and downloaded to, from an
/// environment (passed in, not read from the process, so tests can vary it safely).
public struct WeightsLocations: Sendable, Equatable {
    /// Folders Keras keeps its downloads in, searched first and never written:
    /// `$KERAS_HOME/models` (when set), then `~/.keras/models`.
    public var kerasFolders: [String]
    /// The tool's own cache, `$XDG_CACHE_HOME/dataset/models` (default `~/.cache/dataset/models`):
    /// searched last, and where downloads and verification records go.
    public var cacheFolder: String
    /// `DATASET_WEIGHTS_MIRROR` without trailing slashes: files are fetched as `<mirror>/<file name>`.
    public var mirror: String?

    public init(kerasFolders: [String], cacheFolder: String, mirror: String?) {
        self.kerasFolders = kerasFolders
        self.cacheFolder = cacheFolder
        self.mirror = mirror
    }

    /// Reads `KERAS_HOME`, `HOME`, `XDG_CACHE_HOME` and `DATASET_WEIGHTS_MIRROR` from `environment`
    /// (the account's home directory stands in for an unset `HOME`).
    public init(environment: [String: String]) throws(WeightsError) {
        let home = Self.absolute(environment["HOME"]) ?? Self.accountHome()
        var keras: [String] = []
        if let value = environment["KERAS_HOME"], !value.isEmpty {
            // Keras expands a leading ~ in it (os.path.expanduser).
            let expanded = value == "~" ? home : value.hasPrefix("~/") ? home.map { $0 + value.dropFirst() } : value
            if let expanded { keras.append(Self.trimmed(expanded) + "/models") }
        }
        if let home { keras.append(Self.trimmed(home) + "/.keras/models") }
        // XDG: a relative XDG_CACHE_HOME is to be ignored.
        let cacheBase = Self.absolute(environment["XDG_CACHE_HOME"]) ?? home.map { Self.trimmed($0) + "/.cache" }
        guard let cacheBase else { throw .noCacheFolder }
        let cache = Self.trimmed(cacheBase) + "/dataset/models"
        cacheFolder = cache
        var seen = Set<String>()
        kerasFolders = keras.filter { seen.insert($0).inserted && $0 != cache }
        let mirror = environment["DATASET_WEIGHTS_MIRROR"].map(Self.trimmed) ?? ""
        self.mirror = mirror.isEmpty ? nil : mirror
    }

    /// Every searched folder in order: Keras' first, the cache last.
    public var searchFolders: [String] { kerasFolders + [cacheFolder] }

    /// The address to fetch `entry` from: the mirror's when one is set, else Keras'.
    public func url(for entry: KerasApplicationWeights) throws(WeightsError) -> String {
        guard let mirror else { return entry.url }
        let lower = mirror.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { throw .badMirror(mirror) }
        return mirror + "/" + entry.fileName
    }

    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value
    }

    /// `path` without trailing slashes (`/` itself stays).
    private static func trimmed(_ path: String) -> String {
        var out = Substring(path)
        while out.count > 1, out.hasSuffix("/") { out = out.dropLast() }
        return String(out)
    }

    private static func accountHome() -> String? {
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        return absolute(String(cString: directory))
    }
}
