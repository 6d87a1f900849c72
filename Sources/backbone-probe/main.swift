import DatasetKit
import Foundation
import NeuralKit
import CDNNL

// Writes a backbone's outputs on a batch of images, for bench/backbone_parity.py compare.
// Usage: backbone-probe [--family keras|timm] BACKBONE REFERENCE_DIR OUTPUT_DIR
//   REFERENCE_DIR is what `backbone_parity.py make` wrote: images.npy (uint8 NHWC), notop.h5,
//   top.h5 and keras/<layer>.npy; for every such layer this writes OUTPUT_DIR/<layer>.npy
//   (float32, NHWC or (N, C)): the node of that name, `pooled_avg`, `pooled_max` and
//   `predictions` (softmax probabilities). Prints seconds per forward pass.
//   With --family timm it reads what `timm_parity.py make` wrote instead: images.npy,
//   model.safetensors (with the classifier, loaded into the networks without it too),
//   config.json (the normalisation) and timm/<node>.npy.
let (family, arguments): (BackboneFamily, [String]) = {
    var arguments = CommandLine.arguments
    guard arguments.count >= 3, arguments[1] == "--family" else { return (.keras, arguments) }
    guard let chosen = BackboneFamily(rawValue: arguments[2]) else {
        print("--family takes keras or timm, not \(arguments[2])")
        exit(2)
    }
    arguments.removeSubrange(1...2)
    return (chosen, arguments)
}()
// backbone-probe speed BACKBONE [BATCH] [RUNS]: forward passes of the pooled (avg) backbone on a
// random batch, best of RUNS after one warm-up; prints one JSON line (images/s, peak RSS).
if arguments.count >= 3, arguments[1] == "speed", let backbone = Backbone(rawValue: arguments[2]) {
    let batch = arguments.count > 3 ? Int(arguments[3]) ?? 32 : 32
    let runs = arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5
    let engine = try ComputeEngine()
    let network = try Network(spec: try backbone.spec(includeTop: false, pooling: .avg), batchSize: batch, training: false,
                              engine: engine, classifier: false)
    var generator = SeededGenerator(seed: 1, item: "speed")
    for i in 0..<network.input.capacity { network.input.floats[i] = Float(generator.uniform(-1...1)) }
    try network.forward(training: false)
    var best = Double.infinity
    for _ in 0..<runs {
        let start = Date()
        try network.forward(training: false)
        best = min(best, Date().timeIntervalSince(start))
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("{\"backbone\": \"\(backbone.rawValue)\", \"batch\": \(batch), \"threads\": \(engine.threads), \"isa\": \"\(ComputeEngine.instructionSet)\", "
        + "\"images_per_second\": \(Double(batch) / best), \"activation_mb\": \(network.activationBytes >> 20), \"peak_rss_mb\": \(usage.ru_maxrss / 1024)}")
    exit(0)
}
// backbone-probe peak: the machine's float32 peak as oneDNN reaches it: a 2048^3 SGEMM on all
// cores, best of 5 (2 * 2048^3 floating-point operations each).
if arguments.count >= 2, arguments[1] == "peak" {
    let engine = try ComputeEngine()
    engine.useThreads()
    let n = 2048
    var a = [Float](repeating: 0, count: n * n), b = a, c = a
    var generator = SeededGenerator(seed: 2, item: "peak")
    for i in 0..<(n * n) { a[i] = Float(generator.uniform(-1...1)); b[i] = Float(generator.uniform(-1...1)) }
    var best = Double.infinity
    for _ in 0..<6 {
        let start = Date()
        let status = dnnl_sgemm(CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), Int64(n), Int64(n), Int64(n), 1, a, Int64(n), b, Int64(n), 0, &c, Int64(n))
        guard status == dnnl_success else { print("sgemm failed: \(status)"); exit(1) }
        best = min(best, Date().timeIntervalSince(start))
    }
    let flops = 2 * pow(Double(n), 3)
    // A 1x1 convolution (direct: Winograd does not apply), 256 to 256 channels on 56x56 at batch
    // 32: ResNet50's commonest shape.
    let conv = ModelSpec(name: "peak", input: .image(height: 56, width: 56, channels: 256),
                         nodes: [ModelNode(.conv2d(.init(filters: 256, kernel: .one, padding: .valid)), name: "conv")], head: .softmax)
    let network = try Network(spec: conv, batchSize: 32, training: false, engine: engine, classifier: false)
    try network.forward(training: false)
    var convBest = Double.infinity
    for _ in 0..<6 {
        let start = Date()
        try network.forward(training: false)
        convBest = min(convBest, Date().timeIntervalSince(start))
    }
    let convFlops = 2.0 * 32 * 56 * 56 * 256 * 256
    print("{\"sgemm_gflops\": \(flops / best / 1e9), \"conv1x1_gflops\": \(convFlops / convBest / 1e9), \"threads\": \(engine.threads), "
        + "\"isa\": \"\(ComputeEngine.instructionSet)\", \"method\": \"dnnl_sgemm 2048^3 and a 1x1 convolution 256->256 on 32x56x56, best of 6\"}")
    exit(0)
}
guard arguments.count == 4, let backbone = Backbone(rawValue: arguments[1]) ?? Backbone(timmName: arguments[1]) else {
    print("usage: backbone-probe [--family keras|timm] vgg16|resnet50|mobilenet_v2|inception_v3 REFERENCE_DIR OUTPUT_DIR")
    exit(2)
}
let referenceFolder = family == .keras ? "keras" : "timm"
let (reference, output) = (arguments[2], arguments[3])
try FileIO.createDirectories(output)
let images = try NPYReader(path: reference + "/images.npy")
let shape = images.header.shape
let (count, height, width) = (shape[0], shape[1], shape[2])
let pixels = images.uint8Values()
let wanted = try FileManager.default.contentsOfDirectory(atPath: reference + "/" + referenceFolder).filter { $0.hasSuffix(".npy") }
    .map { String($0.dropLast(4)) }
let engine = try ComputeEngine()

func save(_ name: String, shape: [Int], values: [Float]) throws {
    let writer = try NPYWriter(path: output + "/" + name + ".npy", dtype: .float32, rowShape: Array(shape.dropFirst()), expectedRows: shape[0])
    try values.withUnsafeBytes { try writer.append(rows: Array($0)) }
    _ = try writer.finish()
}

func run(_ spec: ModelSpec, weights: String, classifier: Bool) throws -> Network {
    let network = try Network(spec: spec, batchSize: count, training: false, engine: engine, classifier: classifier, initializeWeights: false,
                              keepOutputs: true)
    let normalization: Normalization
    switch family {
    case .keras:
        let report = try KerasWeightLoading.load(try KerasWeightFile(path: reference + "/" + weights), backbone: backbone, into: network)
        print("\(weights): \(report.layers) layers, \(report.values) values, by \(report.matchedBy.rawValue)")
        normalization = backbone.normalization
    case .timm:
        let path = reference + "/model.safetensors"
        let report = try TimmWeightLoading.load(path: path, backbone: backbone, into: network)
        print("model.safetensors: \(report.tensors) tensors, \(report.values) values, unused \(report.unusedTensors)")
        let config = try TimmPretrainedConfig.forWeights(at: path, backbone: backbone)
        normalization = config.normalization
    }
    let table = (0..<3).map { c in (0..<256).map { normalization.apply(UInt8($0), channel: c) } }
    let source = (0..<3).map(normalization.channelOrder.sourceChannel)
    let input = network.input.floats
    for b in 0..<count { for y in 0..<height { for x in 0..<width { for c in 0..<3 {
        let value = table[c][Int(pixels[((b * height + y) * width + x) * 3 + source[c]])]
        switch network.inputLayout {
        case .nchw: input[((b * 3 + c) * height + y) * width + x] = value
        default: input[((b * height + y) * width + x) * 3 + c] = value
        }
    } } } }
    let start = Date()
    try network.forward(training: false)
    print(String(format: "%@ forward: %.2f s for %d images", spec.name, Date().timeIntervalSince(start), count))
    return network
}

let base = try run(try backbone.spec(height: height, width: width, includeTop: false, family: family), weights: "notop.h5", classifier: false)
for name in wanted {
    if let (shape, values) = try base.plainOutput(of: name) { try save(name, shape: shape, values: values) }
}
for (pooling, name) in [(Backbone.Pooling.avg, "pooled_avg"), (.max, "pooled_max")] where wanted.contains(name) {
    let network = try run(try backbone.spec(height: height, width: width, includeTop: false, pooling: pooling, family: family), weights: "notop.h5",
                          classifier: false)
    try save(name, shape: network.output.dims, values: Array(UnsafeBufferPointer(start: network.output.floats, count: network.output.dims.reduce(1, *))))
}
if wanted.contains("predictions"), height == backbone.defaultSize {
    let network = try run(try backbone.spec(includeTop: true, family: family), weights: "top.h5", classifier: true)
    let logits = Array(UnsafeBufferPointer(start: network.output.floats, count: count * 1000))
    let probabilities = (0..<count).flatMap { row in
        let z = logits[(row * 1000)..<((row + 1) * 1000)]
        let top = z.max()!
        let e = z.map { exp(Double($0 - top)) }
        let sum = e.reduce(0, +)
        return e.map { Float($0 / sum) }
    }
    try save("predictions", shape: [count, 1000], values: probabilities)
}
