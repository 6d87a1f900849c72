import Foundation

/// Reads the samples of a WebDataset shard `pack` wrote, front to back: each sample's image
/// (`<key>.jpg`) and its label (`<key>.cls`, the class index as text, or `<key>.json`, the
/// multi-hot `vector`), the members of a sample adjacent.
///
/// The tar is input like any other file: a member that is not a regular file, larger than the
/// limits, of an unknown kind, a sample without its image or label, or a label outside the
/// classes is an error naming the shard and the member.
public final class WebDatasetReader {
    /// One sample: its key, the encoded image and its label.
    public struct Sample: Sendable {
        public var key: String
        public var image: [UInt8]
        public var label: PackLabel
    }

    public let path: String
    private let reader: ArchiveReader
    private let classCount: Int
    private let multiHot: Bool
    private let maxImageBytes: Int
    /// The first member of the next sample, read while finding the end of the previous one.
    private var pending: (key: String, suffix: String, bytes: [UInt8])?
    private var finished = false

    /// Label members are a few bytes (a class index) or a short JSON object.
    static let maxLabelBytes = 1 << 20

    /// Opens `path`, a shard of a pack with `classes` classes (multi-hot labels when `multiHot`).
    public init(path: String, classes: Int, multiHot: Bool, maxImageBytes: Int = InputLimits.defaultMaxFileBytes) throws(WebDatasetError) {
        self.path = path
        classCount = classes
        self.multiHot = multiHot
        self.maxImageBytes = maxImageBytes
        do { reader = try ArchiveReader(path: path) } catch { throw WebDatasetError(path: path, reason: error.description) }
    }

    /// The next sample, or nil after the last.
    public func next() throws(WebDatasetError) -> Sample? {
        var image: [UInt8]?, label: PackLabel?, key: String?
        while true {
            let next: (key: String, suffix: String, bytes: [UInt8])?
            if let pending { next = pending } else { next = try readMember() }
            guard let member = next else { break }
            if let key, member.key != key {
                pending = member
                break
            }
            pending = nil
            key = member.key
            switch member.suffix {
            case "jpg", "jpeg", "png":
                guard image == nil else { throw fail("sample '\(member.key)' holds two images") }
                image = member.bytes
            case "cls" where !multiHot:
                guard label == nil else { throw fail("sample '\(member.key)' holds two labels") }
                label = try classLabel(member.bytes, key: member.key)
            case "json" where multiHot:
                guard label == nil else { throw fail("sample '\(member.key)' holds two labels") }
                label = try multiHotLabel(member.bytes, key: member.key)
            default:
                throw fail("member '\(member.key).\(member.suffix)' is not what a pack of \(multiHot ? "multi-hot (.json)" : "class (.cls)") labels holds")
            }
        }
        guard let key else { return nil }
        guard let image else { throw fail("sample '\(key)' has no .jpg image") }
        guard let label else { throw fail("sample '\(key)' has no \(multiHot ? ".json" : ".cls") label") }
        return Sample(key: key, image: image, label: label)
    }

    /// The next member's key, suffix and bytes, or nil at the end of the tar.
    private func readMember() throws(WebDatasetError) -> (key: String, suffix: String, bytes: [UInt8])? {
        guard !finished else { return nil }
        let entry: ArchiveEntry
        do {
            guard let next = try reader.next() else {
                finished = true
                try reader.readToEnd()
                if let problem = reader.takeProblems().failures.first { throw fail(problem.description) }
                return nil
            }
            entry = next
        } catch let error as WebDatasetError {
            throw error
        } catch {
            throw WebDatasetError(path: path, reason: "\(error)")
        }
        guard entry.kind == .file else { throw fail("member '\(printableName(entry.path))' is not a regular file") }
        // WebDataset's key is the name up to the first dot of its last component.
        let name = entry.path
        let slash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        guard let dot = name[slash...].firstIndex(of: "."), dot > slash else {
            throw fail("member '\(printableName(name))' has no <key>.<extension> name")
        }
        let key = String(name[..<dot]), suffix = String(name[name.index(after: dot)...]).lowercased()
        let limit = ["cls", "json"].contains(suffix) ? Self.maxLabelBytes : maxImageBytes
        if let size = entry.size, size > Int64(limit) {
            throw fail("member '\(printableName(name))' holds \(size) bytes, more than the \(limit) allowed")
        }
        var bytes: [UInt8] = []
        do {
            while let block = try reader.readBlock() {
                guard bytes.count + block.bytes.count <= limit else {
                    throw fail("member '\(printableName(name))' holds more than the \(limit) bytes allowed")
                }
                bytes.append(contentsOf: block.bytes)
            }
        } catch let error as WebDatasetError {
            throw error
        } catch {
            throw WebDatasetError(path: path, reason: "\(error)")
        }
        return (key, suffix, bytes)
    }

    private func classLabel(_ bytes: [UInt8], key: String) throws(WebDatasetError) -> PackLabel {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let index = Int(text), (0..<classCount).contains(index) else {
            throw fail("sample '\(key)': label '\(printableName(String(text.prefix(40))))' is not a class index 0-\(classCount - 1)")
        }
        return .index(index)
    }

    private func multiHotLabel(_ bytes: [UInt8], key: String) throws(WebDatasetError) -> PackLabel {
        struct Document: Decodable { var vector: [Int] }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(bytes)) else {
            throw fail("sample '\(key)': the .json label holds no \"vector\" of 0/1 values")
        }
        guard document.vector.count == classCount, document.vector.allSatisfy({ $0 == 0 || $0 == 1 }) else {
            throw fail("sample '\(key)': the label vector has \(document.vector.count) values, not \(classCount) of 0 or 1")
        }
        return .multiHot(document.vector.map(UInt8.init))
    }

    private func fail(_ reason: String) -> WebDatasetError { WebDatasetError(path: path, reason: reason) }
}

/// A WebDataset shard that does not hold what `pack` writes.
public struct WebDatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
