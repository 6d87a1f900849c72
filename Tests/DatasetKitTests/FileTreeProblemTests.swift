import Foundation
import Testing
import TestSupport
@testable import DatasetKit

/// One folder or entry that cannot be read costs its own files, not the whole listing.
@Suite struct FileTreeProblemTests {
    @Test func unreadableSubfoldersAndEntriesAreRecordedAndTheRestIsListed() throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/data"
        folder.write("data/a/1.jpg", [1])
        folder.write("data/z/2.jpg", [2])
        DeepFolder.make(at: root + "/deep")
        defer { DeepFolder.remove(root + "/deep") }
        // A link cycle (ELOOP) and a link to nothing.
        symlink("loop2.jpg", root + "/a/loop1.jpg")
        symlink("loop1.jpg", root + "/a/loop2.jpg")
        symlink("../nowhere.jpg", root + "/z/gone.jpg")

        let tree = try FileTree(root: root)
        #expect(tree.files == ["a/1.jpg", "z/2.jpg"])
        let byPath = Dictionary(tree.problems.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath[root + "/a/loop1.jpg"]?.contains("Too many levels of symbolic links") == true, "\(tree.problems)")
        #expect(byPath[root + "/a/loop2.jpg"] != nil)
        #expect(byPath[root + "/z/gone.jpg"]?.contains("target is missing") == true)
        let deep = tree.problems.filter { $0.path.hasPrefix(root + "/deep/") }
        #expect(deep.count == 1 && deep[0].reason.hasPrefix("cannot read folder: File name too long"), "\(tree.problems)")
        #expect(tree.problems.map(\.path) == tree.problems.map(\.path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })

        // The root itself is still an error: there is nothing to list.
        #expect(throws: FileError.self) { try FileTree(root: root + "/a/loop1.jpg") }
        #expect(throws: FileError.self) { try FileTree(root: root + "/missing") }
    }

    @Test func problemTextEscapesControlCharactersAndJSONKeepsTheName() throws {
        let problem = Problem(path: "d/x\n\u{1B}[2Jresize: 9 done.jpg", reason: "corrupt JPEG")
        #expect(problem.description == "d/x\\n\\x1B[2Jresize: 9 done.jpg: corrupt JPEG")
        let decoded = try JSONDecoder().decode(Problem.self, from: JSONEncoder().encode(problem))
        #expect(decoded.path == problem.path)
        #expect(FileError(path: "a\rb", operation: "open", reason: "gone").description == "cannot open a\\rb: gone")
    }
}
