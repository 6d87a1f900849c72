import Foundation
import Testing
@testable import DatasetKit

/// The numbers of each normalisation, worked out by hand from Keras' `preprocess_input`
/// definitions, for the pixel (R, G, B) = (10, 20, 30).
@Suite struct NormalizationTests {
    static let pixel: [UInt8] = [10, 20, 30]

    /// What `float32Bytes` (pack's float32 rows) and `apply` with the channel order (the
    /// trainer's table) give for `pixel`, network channel by channel.
    static func values(_ normalization: Normalization) -> (packed: [Float], applied: [Float]) {
        let packed = floats(normalization.float32Bytes(pixel))
        let applied = (0..<3).map { c in normalization.apply(pixel[normalization.channelOrder.sourceChannel(c)], channel: c) }
        return (packed, applied)
    }

    /// Little-endian float32 bytes as floats.
    static func floats(_ bytes: [UInt8]) -> [Float] {
        stride(from: 0, to: bytes.count, by: 4).map { i in
            Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
    }

    @Test(arguments: [
        (Normalization.Kind.none, [10, 20, 30]),
        (.rescale, [10 / 255, 20 / 255, 30 / 255]),
        // (x/255 - mean) / std, RGB.
        (.torch, [-1.9466563918143676, -1.6855742296918768, -1.2815686274509803]),
        // B, G, R minus [103.939, 116.779, 123.68], no scaling.
        (.caffe, [30 - 103.939, 20 - 116.779, 10 - 123.68]),
        // x/127.5 - 1.
        (.tf, [10 / 127.5 - 1, 20 / 127.5 - 1, 30 / 127.5 - 1]),
    ] as [(Normalization.Kind, [Double])])
    func eachKindGivesKerasNumbers(_ kind: Normalization.Kind, _ expected: [Double]) {
        let normalization = Normalization(kind)
        #expect(normalization.problem == nil)
        let (packed, applied) = Self.values(normalization)
        #expect(packed == applied, "pack and the trainer agree bit for bit")
        for c in 0..<3 {
            #expect(abs(Double(packed[c]) - expected[c]) <= 1e-5 * max(1, abs(expected[c])), "\(kind) channel \(c): \(packed)")
        }
    }

    @Test func caffeReadsTheChannelsAsBGR() {
        #expect(Normalization.caffe.channelOrder == .bgr && Normalization.torch.channelOrder == .rgb)
        #expect((0..<3).map(ChannelOrder.bgr.sourceChannel) == [2, 1, 0])
        // Two pixels: each is reversed on its own.
        let reversed = Normalization(kind: .dataset, scale: 1, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: .bgr)
        #expect(Self.floats(reversed.float32Bytes([1, 2, 3, 4, 5, 6])) == [3, 2, 1, 6, 5, 4])
    }

    /// `imagenet` is the old name of `torch`; files without `channelOrder` hold RGB.
    @Test func oldNamesAndFilesReadAsTorch() throws {
        let old = #"{"kind": "imagenet", "scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}"#
        let decoded = try JSONDecoder().decode(Normalization.self, from: Data(old.utf8))
        #expect(decoded.kind == .torch && decoded.channelOrder == .rgb && decoded.problem == nil)
        #expect(decoded.float32Bytes(Self.pixel) == Normalization.torch.float32Bytes(Self.pixel))
        #expect(Normalization.Kind(name: "imagenet") == .torch && Normalization.Kind(name: "caffe") == .caffe)
        #expect(Normalization.Kind(name: "keras") == nil)
        let written = String(decoding: try JSONEncoder().encode(Normalization.caffe), as: UTF8.self)
        #expect(written.contains(#""kind":"caffe""#) && written.contains(#""channelOrder":"bgr""#), "\(written)")
    }

    /// A named kind must carry its own numbers: a loader trusting the name would otherwise
    /// prepare images differently from the trainer.
    @Test func aKindWithOtherNumbersIsAProblemNamingTheField() {
        var caffe = Normalization.caffe
        caffe.channelOrder = .rgb
        #expect(caffe.problem == "channelOrder is rgb, but caffe is bgr")
        var tf = Normalization.tf
        tf.mean = [0.5, 1, 1]
        #expect(tf.problem?.hasPrefix("mean is [0.5, 1.0, 1.0], but tf's is") == true, "\(String(describing: tf.problem))")
        var custom = Normalization.dataset(ChannelStatistics())
        custom.mean = [0.5, 0.25, 0.125]
        #expect(custom.problem == nil, "dataset numbers are measured, any finite ones go")
    }
}
