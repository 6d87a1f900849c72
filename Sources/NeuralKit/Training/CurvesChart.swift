import Foundation

/// An SVG of the loss and accuracy curves per epoch (training solid, validation dashed), two
/// panels side by side, as the tutorials plot `history.history`.
public enum CurvesChart {
    public static func svg(_ history: History, title: String) -> String {
        let epochs = history.epochs
        let panelWidth = 420.0, panelHeight = 300.0, margin = 50.0
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(2 * panelWidth + 40))\" height=\"\(Int(panelHeight + 70))\" font-family=\"sans-serif\" font-size=\"12\">",
                     "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                     "<text x=\"20\" y=\"22\" font-size=\"15\">\(escape(title))</text>"]
        let loss = Panel(name: "loss", train: epochs.map(\.loss), validation: epochs.map(\.validationLoss))
        let accuracy = Panel(name: "accuracy", train: epochs.map(\.accuracy), validation: epochs.map(\.validationAccuracy))
        for (index, panel) in [loss, accuracy].enumerated() {
            let x0 = 20 + Double(index) * (panelWidth + 20) + margin, y0 = 40.0
            parts += panel.draw(x: x0, y: y0, width: panelWidth - margin - 10, height: panelHeight - 40, epochs: epochs.count)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private struct Panel {
        var name: String
        var train: [Double]
        var validation: [Double?]

        func draw(x: Double, y: Double, width: Double, height: Double, epochs: Int) -> [String] {
            let values = train + validation.compactMap { $0 }
            var low = values.min() ?? 0, high = values.max() ?? 1
            if name == "accuracy" { (low, high) = (min(low, 0), max(high, 1)) }
            if high - low < 1e-9 { (low, high) = (low - 0.5, high + 0.5) }
            func px(_ epoch: Int) -> Double { epochs <= 1 ? x + width / 2 : x + width * Double(epoch) / Double(epochs - 1) }
            func py(_ v: Double) -> Double { y + height - height * (v - low) / (high - low) }
            var out = ["<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#999\"/>",
                       "<text x=\"\(f(x))\" y=\"\(f(y - 6))\">\(name)</text>"]
            for tick in 0...4 {
                let v = low + (high - low) * Double(tick) / 4
                out.append("<text x=\"\(f(x - 6))\" y=\"\(f(py(v) + 4))\" text-anchor=\"end\">\(String(format: "%.3g", v))</text>")
                out.append("<line x1=\"\(f(x))\" x2=\"\(f(x + width))\" y1=\"\(f(py(v)))\" y2=\"\(f(py(v)))\" stroke=\"#eee\"/>")
            }
            for epoch in Set([0, epochs / 2, max(epochs - 1, 0)]).sorted() where epochs > 0 {
                out.append("<text x=\"\(f(px(epoch)))\" y=\"\(f(y + height + 16))\" text-anchor=\"middle\">\(epoch + 1)</text>")
            }
            out.append("<text x=\"\(f(x + width / 2))\" y=\"\(f(y + height + 32))\" text-anchor=\"middle\">epoch</text>")
            out.append(line(train.enumerated().map { (px($0.offset), py($0.element)) }, color: "#4c72b0", dashed: false))
            let val = validation.enumerated().compactMap { e, v in v.map { (px(e), py($0)) } }
            if !val.isEmpty { out.append(line(val, color: "#dd8452", dashed: true)) }
            out.append("<text x=\"\(f(x + width - 4))\" y=\"\(f(y + 14))\" text-anchor=\"end\" fill=\"#4c72b0\">train</text>")
            if !val.isEmpty { out.append("<text x=\"\(f(x + width - 4))\" y=\"\(f(y + 28))\" text-anchor=\"end\" fill=\"#dd8452\">validation</text>") }
            return out
        }

        private func line(_ points: [(Double, Double)], color: String, dashed: Bool) -> String {
            let path = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
            let dots = points.map { "<circle cx=\"\(f($0.0))\" cy=\"\(f($0.1))\" r=\"2.5\" fill=\"\(color)\"/>" }.joined()
            return "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>" + dots
        }
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
