import DatasetKit
import Foundation

// Per-stage CPU time of the resize pipeline on one thread, for finding where time goes.
// Usage: kernel-bench FOLDER [WxH] [augment]   (augment: only the augmentation stages, 7 rounds)
let arguments = CommandLine.arguments
let augmentOnly = arguments.count > 3 && arguments[3] == "augment"
guard arguments.count >= 2 else { print("usage: kernel-bench FOLDER [WxH]"); exit(2) }
let root = arguments[1]
let size = arguments.count > 2 ? PixelSize(parsing: arguments[2]) ?? PixelSize(width: 224, height: 224) : PixelSize(width: 224, height: 224)
let files = try FileTree(root: root).images.prefix(500).map { try FileIO.read(root + "/" + $0) }

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Runs `body` over every file (three rounds, best kept) and prints ms per image.
func stage(_ label: String, _ body: (Int) throws -> Void) rethrows {
    if augmentOnly && !label.hasPrefix("augment") { return }
    var best = Double.infinity
    for _ in 0..<(augmentOnly ? 7 : 3) {
        let start = cpuSeconds()
        for i in files.indices { try body(i) }
        best = min(best, cpuSeconds() - start)
    }
    let perCopy = label.hasSuffix("per copy") ? 5.0 : 1.0
    print(label.padding(toLength: 40, withPad: " ", startingAt: 0), String(format: "%.3f ms/image", best * 1000 / Double(files.count) / perCopy))
}

let spec = ResizeSpec(size: size)
let full = try files.map { try ImageDecoder.decode($0).image }
let reduced = try files.map { try ImageDecoder.decode($0, options: DecodeOptions(reduceTo: spec.minimumSourceSize)).image }
let outputs = reduced.map { $0.resized(spec) }
print("\(files.count) images from \(root), target \(size)")
try stage("decode (full size)") { _ = try ImageDecoder.decode(files[$0]) }
try stage("decode (DCT-reduced)") { _ = try ImageDecoder.decode(files[$0], options: DecodeOptions(reduceTo: spec.minimumSourceSize)) }
for eighths in [Int]() {
    // Ask for exactly the M/8-scaled size of each image, which forces that DCT scale.
    try stage("decode at \(eighths)/8") {
        let w = (full[$0].width * eighths + 7) / 8, h = (full[$0].height * eighths + 7) / 8
        _ = try ImageDecoder.decode(files[$0], options: DecodeOptions(reduceTo: PixelSize(width: w, height: h)))
    }
}
stage("resize bilinear (from full)") { _ = full[$0].resized(spec) }
stage("resize bilinear (reduced)") { _ = reduced[$0].resized(spec) }
stage("resize area (reduced)") { _ = reduced[$0].resized(ResizeSpec(size: size, filter: .area)) }
try stage("encode JPEG q90") { _ = try ImageEncoder.encode(outputs[$0], as: .jpeg(quality: 90, subsampling: .s420)) }

// The JPEG-to-JPEG path `resize` takes: YCbCr planes end to end.
let planar = try files.map { try ImageDecoder.decodeYCbCr($0, options: DecodeOptions(reduceTo: spec.minimumSourceSize))!.image }
let planarOut = planar.map { $0.resized(spec, subsampling: .s420) }
try stage("decode YCbCr (DCT-reduced)") { _ = try ImageDecoder.decodeYCbCr(files[$0], options: DecodeOptions(reduceTo: spec.minimumSourceSize)) }
stage("resize YCbCr") { _ = planar[$0].resized(spec, subsampling: .s420) }
try stage("encode JPEG q90 from YCbCr") { _ = try ImageEncoder.encodeJPEG(planarOut[$0], quality: 90, subsampling: .s420) }

// Augmentation: the tutorial's random affine (one bilinear warp per copy, same size) and the
// colour adjustment, on the full-size decoded images.
let sampler = TransformSampler(.tutorial)
let augmentParams = full.indices.map { i -> TransformParameters in
    var generator = SeededGenerator(seed: 1, item: "\(i)", index: 1)
    return sampler.sample(using: &generator, imageSize: PixelSize(width: full[i].width, height: full[i].height))
}
let warpSources = full.map { WarpSource($0) }
func augmentWarp(_ i: Int, _ matrix: AffineMatrix, _ fill: FillMode) {
    _ = warpSources[i].warped(by: matrix, size: PixelSize(width: full[i].width, height: full[i].height), fill: fill)
}
let fullOutputs = full.indices.map { i in augmentParams[i] }.isEmpty ? [] : full
try stage("encode JPEG q90 (full size)") { _ = try ImageEncoder.encode(fullOutputs[$0], as: .jpeg(quality: 90, subsampling: .s420)) }
stage("augment pad source") { _ = WarpSource(full[$0]) }
stage("augment warp (tutorial)") {
    let p = augmentParams[$0]
    augmentWarp($0, p.matrix(width: full[$0].width, height: full[$0].height), p.fillMode)
}
// As `augment` does: 5 copies of each source in a row (the source stays in cache).
let fiveEach = full.indices.map { i in (1...5).map { k -> AffineMatrix in
    var generator = SeededGenerator(seed: 1, item: "\(i)", index: k)
    return sampler.sample(using: &generator, imageSize: PixelSize(width: full[i].width, height: full[i].height))
        .matrix(width: full[i].width, height: full[i].height)
} }
stage("augment warp x5 (tutorial), per copy") {
    for matrix in fiveEach[$0] { augmentWarp($0, matrix, .nearest) }
}
stage("augment warp x5 + brightness, per copy") {
    for matrix in fiveEach[$0] {
        _ = warpSources[$0].warped(by: matrix, size: PixelSize(width: full[$0].width, height: full[$0].height), fill: .nearest, brightness: 1.1)
    }
}
stage("augment warp (tutorial, constant)") {
    augmentWarp($0, augmentParams[$0].matrix(width: full[$0].width, height: full[$0].height), .constant)
}
stage("augment warp (tutorial, reflect)") {
    augmentWarp($0, augmentParams[$0].matrix(width: full[$0].width, height: full[$0].height), .reflect)
}
stage("augment warp (identity)") { augmentWarp($0, .identity, .nearest) }
stage("augment brightness") {
    var image = full[$0]
    PhotometricAdjust(brightness: 1.1).apply(to: &image)
}

// The JPEG-to-JPEG augmentation path: the source's own planes, warped plane by plane.
let fullPlanes = try files.map { try ImageDecoder.decodeYCbCr($0)!.image }
let planarSources = fullPlanes.map { PlanarWarpSource($0) }
try stage("augment decode YCbCr (full)") { _ = try ImageDecoder.decodeYCbCr(files[$0]) }
try stage("augment decode RGB (full)") { _ = try ImageDecoder.decode(files[$0]) }
stage("augment pad planes") { _ = PlanarWarpSource(fullPlanes[$0]) }
for brightness in [nil, 0.9, 1.01, 1.1, 1.2] as [Double?] {
    stage("augment planar x5" + (brightness.map { " + brightness \($0)" } ?? "") + ", per copy") {
        for matrix in fiveEach[$0] {
            _ = planarSources[$0].warped(by: matrix, size: planarSources[$0].size, subsampling: .s420, fill: .nearest,
                                         brightness: brightness)
        }
    }
}
let planarOutputs = planarSources.map { $0.warped(by: .identity, size: $0.size, subsampling: .s420, fill: .nearest) }
try stage("augment encode q90 from planes") { _ = try ImageEncoder.encodeJPEG(planarOutputs[$0], quality: 90, subsampling: .s420) }
