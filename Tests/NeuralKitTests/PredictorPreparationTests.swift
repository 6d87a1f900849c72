import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

/// The preparation `pack` recorded travels whole through `train` into `model.json`, and
/// `predict` prepares a photo with it: the same file gives the pixels of its shard row.
@Suite struct PredictorPreparationTests {
    /// A 16x16 RGBA PNG: a coloured pattern per class on a fully transparent border.
    static func png(_ label: Int, _ index: Int) -> [UInt8] {
        var rgb: [UInt8] = [], alpha: [UInt8] = []
        for y in 0..<16 {
            for x in 0..<16 {
                let on = label == 0 ? (x + index) % 4 < 2 : (y + index) % 4 < 2
                rgb += on ? (label == 0 ? [230, 40, 20] : [20, 60, 230]) : [90, 200, 90]
                alpha.append(x < 3 || y < 3 ? 0 : 255)
            }
        }
        return try! ImageEncoder.encodePNG(RGBAImage(RGBImage(width: 16, height: 16, pixels: rgb), alpha: alpha), compressionLevel: 1)
    }

    @Test func predictPreparesAPhotoAsPackStoredIt() throws {
        let folder = TemporaryFolder()
        for label in 0..<2 {
            for index in 0..<4 {
                let path = folder.path + "/src/train/c\(label)/\(index).png"
                try FileIO.createDirectories((path as NSString).deletingLastPathComponent)
                try FileIO.writeAtomically(Self.png(label, index), to: path)
            }
        }
        let preparation = ImagePreparation(resize: ResizeSpec(size: PixelSize(width: 8, height: 8)), normalization: .caffe,
                                           background: .black)
        let shards = folder.path + "/shards"
        _ = try PackJob(preparation: preparation).run(PackInput.read(root: folder.path + "/src"), to: shards, jobs: 1)
        let data = try ShardDataset(folder: shards)
        #expect(data.description.preparation == preparation)
        let spec = ModelArchitecture.smallCNN.spec(input: data.description.input, classes: 2, head: .softmax)
        let model = folder.path + "/model"
        _ = try TrainingRun(spec: spec, data: data.description, train: try data.examples(split: "train"), validation: nil,
                            validationSource: nil, options: TrainingOptions(epochs: 1, batchSize: 4, threads: 1), folder: model).run(resume: false)

        let predictor = try Predictor(folder: model, batchSize: 4, threads: 1)
        #expect(predictor.document.data.preparation == preparation)
        let images = try NPYReader(path: shards + "/train-00000.images.npy")
        let sources = String(decoding: try FileIO.read(shards + "/train-00000.files.txt"), as: UTF8.self).split(separator: "\n")
        #expect(sources.count == 8)
        var white = preparation
        white.background = .white
        for (row, source) in sources.enumerated() {
            let bytes = try FileIO.read(folder.path + "/src/" + source)
            let prepared = try predictor.prepare(bytes)
            #expect(prepared == Array(images.row(row)), "\(source)")
            // What predict did before the background was recorded: other pixels.
            #expect(prepared != (try white.prepare(bytes).image.pixels), "\(source)")
        }
    }

    /// A model saved before `preparation` existed: `data.normalization` and `data.resize`.
    @Test func aModelFileWithoutAPreparationLoadsWithTheDefaultDecodeSettings() throws {
        let folder = try HostileModelFileTests.savedModel()
        try HostileModelFileTests.edit(folder) { json in
            var data = json["data"] as! [String: Any]
            var preparation = data.removeValue(forKey: "preparation") as! [String: Any]
            var normalization = preparation["normalization"] as! [String: Any]
            normalization["channelOrder"] = nil
            data["normalization"] = normalization
            data["resize"] = preparation.removeValue(forKey: "resize")
            json["data"] = data
        }
        let document = try ModelFile.document(in: folder.path)
        #expect(document.data.preparation == ImagePreparation(resize: ResizeSpec(size: PixelSize(width: 8, height: 8)), normalization: .rescale))
        // And one trained on feature vectors, which never had a resize.
        try HostileModelFileTests.edit(folder) { json in
            var data = json["data"] as! [String: Any]
            data["resize"] = nil
            json["data"] = data
        }
        let features = try ModelFile.document(in: folder.path)
        #expect(features.data.preparation == nil && features.data.normalization == .rescale)
    }
}
