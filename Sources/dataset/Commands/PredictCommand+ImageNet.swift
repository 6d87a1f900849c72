import ArgumentParser
import DatasetKit
import Foundation
import NeuralKit

/// `predict --backbone`: ImageNet classes from a keras.applications network's with-top weights.
extension PredictCommand {
    struct ImageNetItem: Encodable {
        var file: String
        var prediction: [ImageNetPrediction]?
        var error: String?
    }

    func predictImageNet(_ backbone: Backbone) throws {
        let (files, problems) = try imageFiles()
        let path: String
        do {
            let choice = try WeightsChoice(parsing: weights ?? "imagenet")
            let printer = WeightsEventPrinter()
            let resolver = try WeightsResolver(environment: ProcessInfo.processInfo.environment)
            guard let resolved = try resolver.resolve(choice, backbone: backbone.rawValue, includeTop: true, events: printer.events) else {
                throw ValidationError("--weights none would predict with random weights.")
            }
            printer.finish(resolved)
            path = resolved.path
        } catch let error as WeightsError {
            // The resolver's message has a second line telling what to do offline.
            ReportLines.write(("error: " + error.description).split(separator: "\n").map(String.init))
            throw ExitCode(1)
        }
        let classifier: ImageNetClassifier
        do {
            classifier = try ImageNetClassifier(backbone: backbone, weightsPath: path, batchSize: max(1, min(files.count, 8)),
                                                threads: compute.threads)
        } catch {
            throw commandFailure(error)
        }
        let loaded = classifier.loaded
        ReportLines.write("\(backbone.rawValue): \(loaded.layers) layers (\(loaded.values) values) loaded by \(loaded.matchedBy.rawValue) from \(path)")

        var items: [ImageNetItem] = []
        // In chunks, so memory stays bounded for a large folder.
        for start in stride(from: 0, to: files.count, by: 64) {
            var prepared: [(index: Int, pixels: [UInt8])] = []
            for file in files[start..<min(start + 64, files.count)] {
                do {
                    prepared.append((items.count, try classifier.prepare(try FileIO.readImage(file, limits: InputLimits()))))
                    items.append(ImageNetItem(file: file))
                } catch {
                    items.append(ImageNetItem(file: file, error: "\(error)"))
                }
            }
            let probabilities: [[Double]?]
            do { probabilities = try classifier.probabilities(images: prepared.map(\.pixels)) } catch { throw commandFailure(error) }
            for (item, p) in zip(prepared, probabilities) {
                if let p {
                    items[item.index].prediction = ImageNetClassifier.decode(p, top: top)
                } else {
                    items[item.index].error = "the network's outputs are NaN or infinite for this image"
                }
            }
        }
        items += problems.map { ImageNetItem(file: $0.path, error: $0.reason) }

        if json {
            printJSON(items)
        } else {
            for item in items {
                if let error = item.error {
                    ReportLines.write("error: \(item.file): \(error)")
                    continue
                }
                let lines = item.prediction!.enumerated().map { rank, p in
                    "  \(rank + 1). \(p.wnid) \(p.label) \(String(format: "%.4f", p.probability))"
                }
                ReportLines.write(["\(item.file):"] + lines, to: .standardOutput)
            }
        }
        if items.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }
}
