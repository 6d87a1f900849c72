import Foundation

/// The per-epoch figures of a run, as `history.csv` (Keras' `CSVLogger` columns:
/// `epoch,accuracy,loss,val_accuracy,val_loss`, plus time and speed).
public struct History: Sendable, Equatable, Codable {
    public var epochs: [EpochRecord] = []

    public init(epochs: [EpochRecord] = []) { self.epochs = epochs }

    /// The CSV text; validation columns are empty when there was no validation data.
    public var csv: String {
        var lines = ["epoch,accuracy,loss,val_accuracy,val_loss,seconds,images_per_second"]
        for e in epochs {
            let fields = [String(e.epoch), Self.number(e.accuracy), Self.number(e.loss),
                          e.validationAccuracy.map(Self.number) ?? "", e.validationLoss.map(Self.number) ?? "",
                          String(format: "%.2f", e.seconds), String(format: "%.1f", e.imagesPerSecond)]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String { String(format: "%.6f", value) }
}
