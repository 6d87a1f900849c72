import Foundation

/// A confusion matrix as an SVG heat map: rows the true classes, columns the predicted ones,
/// each cell shaded by its share of the row (so recall reads along the diagonal) and labelled
/// with its count.
public enum ConfusionMatrixChart {
    public static func svg(_ matrix: ConfusionMatrix, title: String) -> String {
        let n = matrix.classes.count
        let cell = n <= 12 ? 40.0 : n <= 40 ? 22.0 : 12.0
        let longest = Double(matrix.classes.map(\.count).max() ?? 1)
        let label = min(220, 12 + longest * 6.6)
        let left = label + 30, top = label + 50
        let width = left + cell * Double(n) + 20, height = top + cell * Double(n) + 40
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                   "<text x=\"10\" y=\"20\" font-size=\"15\">\(CurvesChart.escape(title))</text>",
                   "<text x=\"\(f(left + cell * Double(n) / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">predicted</text>",
                   "<text x=\"14\" y=\"\(f(top + cell * Double(n) / 2))\" transform=\"rotate(-90 14 \(f(top + cell * Double(n) / 2)))\" text-anchor=\"middle\">true</text>"]
        for (k, name) in matrix.classes.enumerated() {
            let y = top + cell * (Double(k) + 0.5) + 4, x = left + cell * (Double(k) + 0.5)
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(y))\" text-anchor=\"end\">\(CurvesChart.escape(name))</text>")
            out.append("<text x=\"\(f(x))\" y=\"\(f(top - 6))\" transform=\"rotate(-60 \(f(x)) \(f(top - 6)))\">\(CurvesChart.escape(name))</text>")
        }
        for (t, row) in matrix.counts.enumerated() {
            let total = max(row.reduce(0, +), 1)
            for (p, count) in row.enumerated() {
                let share = Double(count) / Double(total)
                let x = left + cell * Double(p), y = top + cell * Double(t)
                // White to seaborn blue (#4c72b0) by the share of the row.
                let r = Int(255 - (255 - 0x4c) * share), g = Int(255 - (255 - 0x72) * share), b = Int(255 - (255 - 0xb0) * share)
                out.append("<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell))\" height=\"\(f(cell))\" fill=\"rgb(\(r),\(g),\(b))\" stroke=\"#ddd\"><title>\(CurvesChart.escape(matrix.classes[t])) → \(CurvesChart.escape(matrix.classes[p])): \(count)</title></rect>")
                if cell >= 22 && count > 0 {
                    out.append("<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2 + 4))\" text-anchor=\"middle\" fill=\"\(share > 0.5 ? "white" : "black")\">\(count)</text>")
                }
            }
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
