import DatasetKit
import Foundation
import Testing

/// A run that can produce nothing useful says why and exits 1, instead of writing an empty
/// class list (or nothing at all) and exiting 0.
@Suite struct EmptyOutputCommandTests {
    @Test func toMultiHotWhoseMinCountDropsEveryLabelFails() throws {
        let s = Scratch()
        let jpeg = try ImageEncoder.encode(RGBImage(width: 8, height: 8), as: .jpeg(quality: 90, subsampling: .s420))
        for name in ["a", "b", "c"] { s.write("img/\(name).jpg", jpeg) }
        s.write("tags.csv", Array("filename,tags\na,sky sea\nb,sea\nc,sea\n".utf8))
        let r = try CLI.run(["labels", "to-multihot", s.path + "/tags.csv", "--images", s.path + "/img", "--to", s.path + "/out",
                             "--min-count", "20", "-q"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("every label is on fewer than --min-count 20 images (the most common, 'sea', is on 3 images)"), "\(r.stderr)")
        #expect(s.files("out").isEmpty)
        // A min-count some label reaches still writes the dataset.
        let ok = try CLI.run(["labels", "to-multihot", s.path + "/tags.csv", "--images", s.path + "/img", "--to", s.path + "/ok",
                              "--min-count", "3", "-q"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(s.read("ok/classes.txt") == Array("sea\n".utf8))
    }

    @Test func splitOfAFlatFolderFailsSayingWhy() throws {
        let s = Scratch()
        for i in 0..<4 { s.write("flat/\(i).jpg", Array("image \(i)".utf8)) }
        let r = try CLI.run(["split", s.path + "/flat", "--to", s.path + "/out", "--ratios", "0.5,0.5", "-q"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("nothing to split: 4 images lie outside any class folder"), "\(r.stderr)")
        #expect(s.files("out").isEmpty)
    }
}
