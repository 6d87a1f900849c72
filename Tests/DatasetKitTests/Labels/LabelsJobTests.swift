import Foundation
import Testing
@testable import DatasetKit

/// Runs a job's mappings in parallel the way `FileJob` does.
private func runAll(_ count: Int, _ body: @escaping @Sendable (Int) -> ItemOutcome) -> [ItemOutcome?] {
    ParallelRunner.run(count: count, jobs: 2, body: body)
}

@Suite struct LabelsToFoldersJobTests {
    /// RGBA: left half opaque red, right half fully transparent. Palette: two colours.
    static let rgba = RawPNGWriter(width: 8, height: 4, colorType: .rgba, bitDepth: 8,
                                   samples: (0..<32).flatMap { $0 % 8 < 4 ? [255, 0, 0, 255] : [0, 0, 255, 0] }).bytes()
    static let palette = RawPNGWriter(width: 8, height: 4, colorType: .palette, bitDepth: 8,
                                      samples: (0..<32).map { $0 % 8 < 4 ? 0 : 1 },
                                      palette: [(0, 200, 0), (40, 40, 40)]).bytes()

    @Test func convertsRGBAAndPalettePNGsToRGBJPEGsInClassFolders() throws {
        let folder = TemporaryFolder()
        folder.write("train_img/train1.png", Self.rgba)
        folder.write("train_img/train2.png", Self.palette)
        folder.write("train_img/train3.png", Self.palette)
        let table = try CSVLabels(idColumn: "image_id", valueColumn: "label")
            .parse(Array("image_id,label\ntrain1,Tomato Sauce\ntrain2,Beans\ntrain3,Beans\n".utf8), path: "train.csv")
        let job = LabelsToFoldersJob()
        let plan = job.plan(table: table, images: ImageLookup(tree: try FileTree(root: folder.path + "/train_img")))
        #expect(plan.mappings == [
            FileMapping(source: "train1.png", destination: "Tomato Sauce/train1.jpg"),
            FileMapping(source: "train2.png", destination: "Beans/train2.jpg"),
            FileMapping(source: "train3.png", destination: "Beans/train3.jpg"),
        ])
        #expect(plan.classes == ["Beans", "Tomato Sauce"] && plan.failures.isEmpty && plan.warnings.isEmpty)
        for m in plan.mappings { try FileIO.createDirectories(folder.path + "/out/" + (m.destination as NSString).deletingLastPathComponent) }
        let src = folder.path + "/train_img/", out = folder.path + "/out/"
        let outcomes = runAll(plan.mappings.count) { job.process(source: src + plan.mappings[$0].source, destination: out + plan.mappings[$0].destination) }
        #expect(outcomes == [.done(), .done(), .done()])

        let sauce = try ImageDecoder.decode(FileIO.read(out + "Tomato Sauce/train1.jpg"))
        #expect(sauce.format == .jpeg && sauce.colorModel.channels == .rgb)
        let red = sauce.image[1, 2], white = sauce.image[6, 2]
        #expect(red.red > 200 && red.green < 60 && red.blue < 60, "\(red)")
        #expect(white.red > 235 && white.green > 235 && white.blue > 235, "transparent → white, got \(white)")
        let beans = try ImageDecoder.decode(FileIO.read(out + "Beans/train2.jpg")).image
        #expect(beans[1, 1].green > 170 && beans[1, 1].red < 50 && beans[6, 1].red < 70)

        let again = runAll(plan.mappings.count) { job.process(source: src + plan.mappings[$0].source, destination: out + plan.mappings[$0].destination) }
        #expect(again == [.skipped, .skipped, .skipped])
    }

    /// Ids `x.png` and `x.jpg` of one label would both become `<label>/x.jpg` (the second
    /// overwrote the first, exit 0): they are kept apart as `resize` keeps them, and reported.
    @Test func idsThatWouldShareAnOutputAreKeptApartAndReported() throws {
        let folder = TemporaryFolder()
        for name in ["x.png", "x.jpg", "y.png", "z.png", "x_png.jpg"] { folder.write("img/" + name, Self.rgba) }
        let table = try CSVLabels(idColumn: "id", valueColumn: "class")
            .parse(Array("id,class\nx.png,cat\nx.jpg,cat\ny.png,cat\nz.png,dog\nx_png.jpg,cat\n".utf8), path: "t.csv")
        let lookup = ImageLookup(tree: try FileTree(root: folder.path + "/img"))
        let plan = LabelsToFoldersJob().plan(table: table, images: lookup)
        #expect(plan.mappings == [FileMapping(source: "x.png", destination: "cat/x_png_2.jpg"),
                                  FileMapping(source: "x.jpg", destination: "cat/x.jpg"),
                                  FileMapping(source: "y.png", destination: "cat/y.jpg"),
                                  FileMapping(source: "z.png", destination: "dog/z.jpg"),
                                  FileMapping(source: "x_png.jpg", destination: "cat/x_png.jpg")])
        #expect(Set(plan.mappings.map(\.destination)).count == plan.mappings.count)
        #expect(plan.failures.isEmpty)
        #expect(plan.warnings == [Problem(path: "t.csv:2", reason: "id 'x.png' is written as cat/x_png_2.jpg: cat/x.jpg is id 'x.jpg' (line 3)")])
        #expect(plan.classes == ["cat", "dog"])
        // Kept in their own formats, the names differ already.
        let kept = LabelsToFoldersJob(output: ImageOutput(format: .keep)).plan(table: table, images: lookup)
        #expect(kept.mappings.map(\.destination).contains("cat/x.png") && kept.warnings.isEmpty)
    }

    @Test func keepsOrWritesPNGAndRejectsLabelsThatCannotBeFolders() throws {
        let folder = TemporaryFolder()
        for name in ["a", "b", "c", "d"] { folder.write("img/\(name).png", Self.rgba) }
        let table = try CSVLabels(idColumn: "id", valueColumn: "class")
            .parse(Array("id,class\na,x\nb,../up\nc,.hidden\nd,\n".utf8), path: "t.csv")
        let job = LabelsToFoldersJob(output: ImageOutput(format: .png), imageExtension: "png")
        let plan = job.plan(table: table, images: ImageLookup(tree: try FileTree(root: folder.path + "/img")))
        #expect(plan.mappings == [FileMapping(source: "a.png", destination: "x/a.png")])
        #expect(plan.failures.map(\.reason) == [
            "id 'b': label '../up' cannot be a folder name",
            "id 'c': label '.hidden' would be a hidden folder",
            "id 'd': empty label",
        ])
        try FileIO.createDirectories(folder.path + "/out/x")
        #expect(job.process(source: folder.path + "/img/a.png", destination: folder.path + "/out/x/a.png") == .done())
        let decoded = try ImageDecoder.decode(FileIO.read(folder.path + "/out/x/a.png"))
        #expect(decoded.format == .png && decoded.colorModel.channels == .rgb && decoded.image[7, 0] == .white)
    }
}

@Suite struct LabelsToMultiHotJobTests {
    let jpeg = try! ImageEncoder.encode(TestImages.gradient(width: 24, height: 16), as: .jpeg(quality: 90, subsampling: .s420))

    /// Plans and runs `matrix` (rows named by source under `src`) into `out`, then writes the index.
    func export(_ matrix: MultiHotMatrix, _ job: LabelsToMultiHotJob, _ folder: TemporaryFolder, source: String = "src")
        throws -> (LabelsToMultiHotJob.Plan, [ItemOutcome?]) {
        let plan = job.plan(matrix, imagesRoot: folder.path + "/" + source)
        let layout = NanonetsLayout(root: folder.path + "/out")
        try layout.createFolders()
        let outcomes = runAll(plan.items.count) { job.process(plan.items[$0], sourceRoot: folder.path + "/" + source, destinationRoot: layout.root) }
        try layout.writeIndex(plan.matrix)
        return (plan, outcomes)
    }

    @Test func copiesJPEGsConvertsOthersAndWritesAnnotations() throws {
        let folder = TemporaryFolder()
        folder.write("src/a.jpg", jpeg)
        folder.write("src/b.png", LabelsToFoldersJobTests.rgba)
        let matrix = MultiHotMatrix(classes: ["x", "y"], rows: [.init(filename: "a.jpg", labels: ["y", "x"]), .init(filename: "b.png", labels: [])])
        let (plan, outcomes) = try export(matrix, LabelsToMultiHotJob(), folder)
        #expect(outcomes == [.done(), .done()])
        #expect(plan.items.map(\.mapping.destination) == ["ImageSets/a.jpg", "ImageSets/b.jpg"])
        #expect(try FileIO.read(folder.path + "/out/ImageSets/a.jpg") == jpeg, "a JPEG is copied byte for byte")
        let converted = try ImageDecoder.decode(FileIO.read(folder.path + "/out/ImageSets/b.jpg"))
        #expect(converted.format == .jpeg && converted.image.width == 8)
        #expect(folder.files(under: "out") == ["Annotations/a.txt", "Annotations/b.txt", "ImageSets/a.jpg", "ImageSets/b.jpg", "classes.txt", "labels.csv"])
        #expect(String(decoding: try FileIO.read(folder.path + "/out/Annotations/a.txt"), as: UTF8.self) == "x\ny\n")
        #expect(try FileIO.read(folder.path + "/out/Annotations/b.txt").isEmpty)
        #expect(String(decoding: try FileIO.read(folder.path + "/out/labels.csv"), as: UTF8.self) == "filename,x,y\na.jpg,1,1\nb.jpg,0,0\n")
        #expect(String(decoding: try FileIO.read(folder.path + "/out/classes.txt"), as: UTF8.self) == "x\ny\n")
    }

    @Test func rerunSkipsButRewritesAChangedAnnotation() throws {
        let folder = TemporaryFolder()
        folder.write("src/a.jpg", jpeg)
        folder.write("src/b.jpg", jpeg)
        let first = MultiHotMatrix(classes: ["x", "y"], rows: [.init(filename: "a.jpg", labels: ["x"]), .init(filename: "b.jpg", labels: ["y"])])
        _ = try export(first, LabelsToMultiHotJob(), folder)
        #expect(try export(first, LabelsToMultiHotJob(), folder).1 == [.skipped, .skipped])
        let changed = MultiHotMatrix(classes: ["x", "y"], rows: [.init(filename: "a.jpg", labels: ["x", "y"]), .init(filename: "b.jpg", labels: ["y"])])
        #expect(try export(changed, LabelsToMultiHotJob(), folder).1 == [.done(), .skipped])
        #expect(String(decoding: try FileIO.read(folder.path + "/out/Annotations/a.txt"), as: UTF8.self) == "x\ny\n")
    }

    @Test func hardLinksWhenAsked() throws {
        let folder = TemporaryFolder()
        folder.write("src/a.jpg", jpeg)
        let matrix = MultiHotMatrix(classes: ["x"], rows: [.init(filename: "a.jpg", labels: ["x"])])
        _ = try export(matrix, LabelsToMultiHotJob(hardLink: true), folder)
        let source = try FileManager.default.attributesOfItem(atPath: folder.path + "/src/a.jpg")
        let output = try FileManager.default.attributesOfItem(atPath: folder.path + "/out/ImageSets/a.jpg")
        #expect(source[.systemFileNumber] as? Int == output[.systemFileNumber] as? Int)
        #expect(source[.referenceCount] as? Int == 2)
    }

    @Test func sameNamesGetTheirFolderAndRepeatsAreLeftOut() throws {
        let folder = TemporaryFolder()
        folder.write("src/soup/1.jpg", jpeg)
        folder.write("src/tacos/1.jpg", jpeg)
        let matrix = MultiHotMatrix(classes: ["x"], rows: [
            .init(filename: "soup/1.jpg", labels: ["x"]), .init(filename: "tacos/1.jpg", labels: []), .init(filename: "soup/1.jpg", labels: []),
        ])
        let (plan, _) = try export(matrix, LabelsToMultiHotJob(), folder)
        #expect(plan.matrix.rows.map(\.filename) == ["soup__1.jpg", "tacos__1.jpg"])
        #expect(plan.failures.count == 1 && plan.failures[0].reason.contains("listed twice"))
        #expect(plan.warnings.map(\.reason) == ["another image has the same file name: written as ImageSets/soup__1.jpg",
                                                "another image has the same file name: written as ImageSets/tacos__1.jpg"])
        #expect(folder.files(under: "out/Annotations") == ["soup__1.txt", "tacos__1.txt"])
    }

    @Test func recipes5kFoldedIntoTheTenTagsRoundTrips() throws {
        let folder = TemporaryFolder()
        Recipes5kFixture.write(in: folder, jpeg: jpeg)
        let layout = try Recipes5kLayout.locate(folder.path)
        let mapping = try IngredientMapping.parse(Array(Recipes5kFixture.mapping.utf8), path: "tags.csv")
        let (items, unmapped) = mapping.fold(try Recipes5kTagging().items(layout), recipeClass: Recipes5kTagging.recipeClass)
        #expect(unmapped.map(\.name) == ["miso", "dashi", "chili", "cilantro", "lime", "onion"])
        #expect(unmapped.first?.count == 3)
        let built = MultiHotBuilder(preferredOrder: mapping.labels).build(items)
        #expect(built.report == { var r = MultiHotReport(); r.minCount = 1; return r }())
        let (plan, outcomes) = try export(built.matrix, LabelsToMultiHotJob(), folder, source: "Recipes5k/images")
        #expect(outcomes.allSatisfy { $0 == .done() })
        let expected = """
            filename,soups,mains,dessert,protein,fats,carbs,healthy,junk,meat
            0_miso_soup_hostedLargeUrl.jpg,1,0,0,1,0,0,1,0,0
            0_fudge_cake_hostedLargeUrl.jpg,0,0,1,1,1,1,0,1,0
            0_street_tacos_hostedLargeUrl.jpg,0,1,0,1,0,1,0,0,1
            miso_soup__1_red_miso_hostedLargeUrl.jpg,1,0,0,0,0,0,1,0,0
            beef_tacos__1_red_miso_hostedLargeUrl.jpg,0,1,0,1,0,0,0,0,1

            """
        #expect(String(decoding: try FileIO.read(folder.path + "/out/labels.csv"), as: UTF8.self) == expected)
        #expect(String(decoding: try FileIO.read(folder.path + "/out/Annotations/0_fudge_cake_hostedLargeUrl.txt"), as: UTF8.self)
                == "dessert\nprotein\nfats\ncarbs\njunk\n")
        let back = try NanonetsLayout(root: folder.path + "/out").read()
        #expect(back.failures.isEmpty && back.warnings.isEmpty)
        #expect(back.matrix.classes == plan.matrix.classes)
        #expect(back.matrix.rows.sorted { $0.filename < $1.filename } == plan.matrix.rows.sorted { $0.filename < $1.filename })
    }

    @Test func rawRecipes5kIngredientsRepeatAndPrune() throws {
        let folder = TemporaryFolder()
        Recipes5kFixture.write(in: folder, jpeg: jpeg)
        let items = try Recipes5kTagging(splits: [.train], simplified: false).items(try Recipes5kLayout.locate(folder.path))
        #expect(items.map(\.name) == Array(Recipes5kFixture.images[0...2]))
        #expect(items[0].origin.hasSuffix("annotations/train_labels.txt:1"))
        let (matrix, report) = MultiHotBuilder(minCount: 1).build(items)
        #expect(report.repeatedTags.map(\.tags) == [["tofu"], ["butter"]])
        #expect(matrix.rows[0].labels.count == 4 && matrix.classes.count == 14)
    }
}
