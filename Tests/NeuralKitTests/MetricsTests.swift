import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

/// The metrics against values scikit-learn 1.9 gives for the same predictions (worked by hand
/// in the comments), and against a live scikit-learn when a Python with it is at hand.
@Suite struct MetricsTests {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    @Test func singleLabelMatchesScikitLearn() {
        // precision_recall_fscore_support([0,1,2,2,0], [0,2,2,2,1], labels=[0,1,2,3]):
        // class 0: tp 1, fp 0, fn 1 -> P 1, R 0.5, F 2/3; class 1: tp 0, fp 1, fn 1 -> 0, 0, 0;
        // class 2: tp 2, fp 1, fn 0 -> P 2/3, R 1, F 0.8; class 3 absent -> 0, 0, 0 (zero division).
        let report = ClassificationReport(classNames: ["a", "b", "c", "d"], truth: [0, 1, 2, 2, 0], predicted: [0, 2, 2, 2, 1])
        let expected: [(Double, Double, Double, Int)] = [(1, 0.5, 2.0 / 3, 2), (0, 0, 0, 1), (2.0 / 3, 1, 0.8, 2), (0, 0, 0, 0)]
        for (row, e) in zip(report.classes, expected) {
            #expect(Self.close(row.precision, e.0) && Self.close(row.recall, e.1) && Self.close(row.f1, e.2) && row.support == e.3, "\(row)")
        }
        // average="macro": (0.41666…, 0.375, 0.36666…); average="weighted": (0.66666…, 0.6, 0.58666…).
        #expect(Self.close(report.macro.precision, 0.41666666666666663) && Self.close(report.macro.recall, 0.375))
        #expect(Self.close(report.macro.f1, 0.3666666666666667))
        #expect(Self.close(report.weighted.precision, 0.6666666666666666) && Self.close(report.weighted.recall, 0.6))
        #expect(Self.close(report.weighted.f1, 0.5866666666666667))
        #expect(Self.close(report.accuracy, 0.6))
        #expect(report.confusion.counts == [[1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 2, 0], [0, 0, 0, 0]])
        #expect(report.classesByF1.map(\.name) == ["c", "a", "b", "d"])
    }

    @Test func multiLabelMatchesScikitLearn() {
        // f1_score(average="samples") of these rows: 2/3, 0 (both empty), 0 (nothing predicted), 1 -> 0.41666…;
        // samples precision 0.375, recall 0.5; per label P (1, 0, 1), R (0.5, 0, 1); micro P 2/3, R 0.5, F 4/7.
        let truth: [UInt8] = [1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1]
        let predicted: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        let report = MultiLabelReport(classNames: ["x", "y", "z"], truth: truth, predicted: predicted)
        #expect(Self.close(report.samplesF1, 0.41666666666666663))
        #expect(Self.close(report.samplesPrecision, 0.375) && Self.close(report.samplesRecall, 0.5))
        #expect(report.labels.map(\.precision) == [1, 0, 1] && report.labels.map(\.recall) == [0.5, 0, 1])
        #expect(report.labels.map(\.support) == [2, 1, 1])
        #expect(Self.close(report.micro.precision, 2.0 / 3) && Self.close(report.micro.recall, 0.5))
        #expect(Self.close(report.micro.f1, 0.5714285714285714))
        #expect(Self.close(report.exactMatch, 0.5))
        #expect(Self.close(report.hammingLoss, 3.0 / 12))
    }

    @Test func confusionMatrixCSVQuotesNames() {
        let matrix = ConfusionMatrix(classes: ["a,b", "c"], truth: [0, 1, 1], predicted: [1, 1, 0])
        #expect(matrix.csv == "true \\ predicted,\"a,b\",c\n\"a,b\",0,1\nc,1,1\n")
    }

    /// A Python that can import scikit-learn: the bench venv's, or the system's.
    static let python: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [root.appendingPathComponent("bench/.venv/bin/python").path, "/usr/bin/python3"]
        return candidates.first { path in
            guard FileManager.default.isExecutableFile(atPath: path) else { return false }
            return (try? runPython(path, "import sklearn")) != nil
        }
    }()

    static func runPython(_ python: String, _ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-W", "ignore", "-c", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: python != nil, "needs Python with scikit-learn"))
    func randomPredictionsMatchLiveScikitLearn() throws {
        var generator = SeededGenerator(seed: 11)
        let truth = (0..<200).map { _ in generator.int(5) }
        let predicted = truth.map { generator.int(3) == 0 ? generator.int(6) % 5 : $0 }
        let report = ClassificationReport(classNames: (0..<5).map(String.init), truth: truth, predicted: predicted)
        let multiTruth = (0..<(60 * 4)).map { _ in UInt8(generator.int(2)) }
        let multiPredicted = multiTruth.map { generator.int(4) == 0 ? 1 - $0 : $0 }
        let multi = MultiLabelReport(classNames: (0..<4).map(String.init), truth: multiTruth, predicted: multiPredicted)
        let script = """
            import json, numpy as np
            from sklearn.metrics import precision_recall_fscore_support as p, f1_score, accuracy_score
            t, q = \(truth), \(predicted)
            mt = np.array(\(multiTruth.map(Int.init))).reshape(60, 4); mp = np.array(\(multiPredicted.map(Int.init))).reshape(60, 4)
            r = lambda v: [float(x) for x in v[:3]]
            print(json.dumps({"per": [list(map(float, a)) for a in p(t, q, labels=list(range(5)))[:3]],
              "macro": r(p(t, q, labels=list(range(5)), average="macro")), "weighted": r(p(t, q, labels=list(range(5)), average="weighted")),
              "accuracy": accuracy_score(t, q), "samples": r(p(mt, mp, average="samples")), "exact": accuracy_score(mt, mp),
              "labels": [list(map(float, a)) for a in p(mt, mp, average=None)[:3]], "micro": r(p(mt, mp, average="micro"))}))
            """
        let json = try JSONSerialization.jsonObject(with: Data(try Self.runPython(Self.python!, script).utf8)) as! [String: Any]
        let per = json["per"] as! [[Double]]
        for (k, row) in report.classes.enumerated() {
            #expect(Self.close(row.precision, per[0][k]) && Self.close(row.recall, per[1][k]) && Self.close(row.f1, per[2][k]))
        }
        for (mine, key) in [(report.macro, "macro"), (report.weighted, "weighted"), (multi.micro, "micro")] {
            let theirs = json[key] as! [Double]
            #expect(Self.close(mine.precision, theirs[0]) && Self.close(mine.recall, theirs[1]) && Self.close(mine.f1, theirs[2]), "\(key)")
        }
        #expect(Self.close(report.accuracy, json["accuracy"] as! Double))
        let samples = json["samples"] as! [Double]
        #expect(Self.close(multi.samplesPrecision, samples[0]) && Self.close(multi.samplesRecall, samples[1]))
        #expect(Self.close(multi.samplesF1, samples[2]))
        #expect(Self.close(multi.exactMatch, json["exact"] as! Double))
        let labels = json["labels"] as! [[Double]]
        for (k, row) in multi.labels.enumerated() {
            #expect(Self.close(row.precision, labels[0][k]) && Self.close(row.recall, labels[1][k]) && Self.close(row.f1, labels[2][k]))
        }
    }
}

extension SeededGenerator {
    /// A uniform integer in 0..<bound.
    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
