import Crypto

/// The digest an archive should have, as the user gives it: `md5:HEX`, `sha256:HEX`, or a bare
/// hex string whose length says which (32 digits MD5, 64 SHA-256).
public struct ArchiveDigest: Sendable, Equatable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case md5, sha256

        var hexLength: Int { self == .md5 ? 32 : 64 }
    }

    public var algorithm: Algorithm
    /// Lowercase hex.
    public var hex: String

    public init(algorithm: Algorithm, hex: String) {
        self.algorithm = algorithm
        self.hex = hex.lowercased()
    }

    /// `nil` when `text` is not one of the accepted forms.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let algorithm: Algorithm
        let hex: String
        if parts.count == 2 {
            guard let named = Algorithm(rawValue: parts[0].lowercased()) else { return nil }
            algorithm = named
            hex = parts[1]
        } else {
            guard let byLength = Algorithm.allCases.first(where: { $0.hexLength == text.count }) else { return nil }
            algorithm = byLength
            hex = text
        }
        guard hex.count == algorithm.hexLength, hex.allSatisfy(\.isHexDigit) else { return nil }
        self.init(algorithm: algorithm, hex: hex)
    }
}

/// A running digest of bytes as they stream by.
public final class StreamingDigest {
    private enum State {
        case md5(Insecure.MD5)
        case sha256(SHA256)
    }

    private var state: State
    public let algorithm: ArchiveDigest.Algorithm

    public init(_ algorithm: ArchiveDigest.Algorithm) {
        self.algorithm = algorithm
        state = algorithm == .md5 ? .md5(Insecure.MD5()) : .sha256(SHA256())
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .md5(var hasher): hasher.update(bufferPointer: bytes); state = .md5(hasher)
        case .sha256(var hasher): hasher.update(bufferPointer: bytes); state = .sha256(hasher)
        }
    }

    /// The digest so far, as lowercase hex.
    public func finalize() -> String {
        let bytes: [UInt8]
        switch state {
        case .md5(let hasher): bytes = Array(hasher.finalize())
        case .sha256(let hasher): bytes = Array(hasher.finalize())
        }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
