import DatasetKit
import NeuralKit

/// `features --json`: the run summary every file command prints, plus the folder and its record.
struct FeaturesSummary: Encodable {
    var summary: RunSummary
    var folder: String
    var alreadyThere: Bool
    var features: FeatureManifest

    private enum CodingKeys: String, CodingKey { case folder, alreadyThere, features }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(folder, forKey: .folder)
        try container.encode(alreadyThere, forKey: .alreadyThere)
        try container.encode(features, forKey: .features)
    }
}
