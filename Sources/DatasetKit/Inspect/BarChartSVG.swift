import Foundation

/// A bar chart of images per class as a standalone SVG: one bar per class, stacked by split
/// (seaborn's palette), the total on each bar, class names rotated below so that even 101
/// classes stay readable, a y axis with round ticks and a legend.
public struct BarChartSVG: Sendable {
    public var title: String
    public var categories: [String]
    /// Each series (a split) gives one count per category.
    public var series: [(name: String, counts: [Int])]

    public init(title: String, categories: [String], series: [(name: String, counts: [Int])]) {
        precondition(series.allSatisfy { $0.counts.count == categories.count }, "one count per category in every series")
        self.title = title
        self.categories = categories
        self.series = series
    }

    /// seaborn's "deep" palette.
    static let palette = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]

    public var svg: String {
        let n = max(1, categories.count)
        let bar = n <= 20 ? 28.0 : n <= 50 ? 16.0 : 12.0, gap = bar / 3
        let plotHeight = 320.0, left = 64.0, top = 56.0
        let longest = Double(categories.map(\.count).max() ?? 1)
        // Labels at -60°: their vertical extent is about 0.87 of their length (6.6 px a character at 12 px).
        let bottom = min(260, 24 + longest * 6.6 * 0.87)
        // Neighbouring labels at -60° are (bar + gap) * sin 60° apart: 13.9 px at 101 classes, so 11 px type.
        let labelFont = n <= 50 ? 12 : 11
        let plotWidth = Double(n) * (bar + gap) + gap
        let width = max(420, left + plotWidth + 24), height = top + plotHeight + bottom + 28
        let totals = categories.indices.map { c in series.reduce(0) { $0 + $1.counts[c] } }
        let (step, axisMax) = Self.ticks(maximum: totals.max() ?? 0)
        let y = { (v: Double) in top + plotHeight - plotHeight * v / Double(axisMax) }
        var out: [String] = []
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        out.append("<text x=\"\(Self.f(left))\" y=\"24\" font-size=\"16\" font-weight=\"bold\">\(Self.escape(title))</text>")
        // Legend.
        var lx = left
        for (i, s) in series.enumerated() {
            out.append("<rect x=\"\(Self.f(lx))\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(Self.palette[i % Self.palette.count])\"/>")
            out.append("<text x=\"\(Self.f(lx + 16))\" y=\"44\" font-size=\"12\">\(Self.escape(s.name))</text>")
            lx += 28 + Double(s.name.count) * 7.5
        }
        // Grid and y axis.
        for v in Swift.stride(from: 0, through: axisMax, by: step) {
            let yy = y(Double(v))
            out.append("<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(yy))\" x2=\"\(Self.f(left + plotWidth))\" y2=\"\(Self.f(yy))\" stroke=\"#e5e5e5\"/>")
            out.append("<text x=\"\(Self.f(left - 6))\" y=\"\(Self.f(yy + 4))\" font-size=\"11\" text-anchor=\"end\">\(v)</text>")
        }
        out.append("<text transform=\"translate(16 \(Self.f(top + plotHeight / 2))) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">images</text>")
        // Bars, totals, labels.
        for c in categories.indices {
            let x = left + gap + Double(c) * (bar + gap)
            var base = 0
            for (i, s) in series.enumerated() where s.counts[c] > 0 {
                let y0 = y(Double(base + s.counts[c])), y1 = y(Double(base))
                out.append("<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y0))\" width=\"\(Self.f(bar))\" height=\"\(Self.f(y1 - y0))\" fill=\"\(Self.palette[i % Self.palette.count])\"><title>\(Self.escape(categories[c])) (\(Self.escape(s.name))): \(s.counts[c])</title></rect>")
                base += s.counts[c]
            }
            let cx = x + bar / 2, top = y(Double(totals[c])) - 4
            if bar >= 24 {
                out.append("<text x=\"\(Self.f(cx))\" y=\"\(Self.f(top))\" font-size=\"10\" text-anchor=\"middle\">\(totals[c])</text>")
            } else {
                out.append("<text transform=\"translate(\(Self.f(cx + 3)) \(Self.f(top))) rotate(-90)\" font-size=\"9\">\(totals[c])</text>")
            }
            let ly = y(0) + 14
            out.append("<text transform=\"translate(\(Self.f(cx + 3)) \(Self.f(ly))) rotate(-60)\" font-size=\"\(labelFont)\" text-anchor=\"end\">\(Self.escape(categories[c]))</text>")
        }
        out.append("<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(y(0)))\" x2=\"\(Self.f(left + plotWidth))\" y2=\"\(Self.f(y(0)))\" stroke=\"#333\"/>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The smallest round tick step (1, 2 or 5 times a power of ten) giving at most 5 steps up
    /// to `maximum`, and the axis top (a multiple of the step).
    static func ticks(maximum: Int) -> (step: Int, top: Int) {
        guard maximum > 0 else { return (1, 1) }
        var magnitude = 1
        while true {
            for step in [magnitude, 2 * magnitude, 5 * magnitude] where (maximum + step - 1) / step <= 5 {
                return (step, (maximum + step - 1) / step * step)
            }
            magnitude *= 10
        }
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
