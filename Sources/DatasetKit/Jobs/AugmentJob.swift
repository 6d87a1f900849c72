/// `dataset augment`, per source: read and decode it once, then write its outputs (the original
/// and its augmented copies), each with one atomic write, plus their companion files.
///
/// A copy's parameters come from `SeededGenerator(seed:item:index:)` with the source's relative
/// path and the copy's index, so they do not depend on the order or the thread that makes it.
public struct AugmentJob: Sendable {
    public var sampler: TransformSampler
    public var seed: UInt64
    public var output: ImageOutput
    public var decode: DecodeOptions
    /// `--size`: every output is resized to it first (as Keras' `target_size` resizes at load,
    /// before `random_transform`), so shifts and pixel ranges refer to the output size.
    public var resize: ResizeSpec?
    public var overwrite: Bool
    /// Hard-link originals that are kept byte for byte, instead of copying them.
    public var hardLink: Bool
    /// Decode sources whose outputs all exist anyway, to know the parameters of skipped copies
    /// (for `--log`).
    public var parametersForSkipped: Bool

    public init(sampler: TransformSampler, seed: UInt64, output: ImageOutput = ImageOutput(), decode: DecodeOptions = DecodeOptions(),
                resize: ResizeSpec? = nil, overwrite: Bool = false, hardLink: Bool = false, parametersForSkipped: Bool = false) {
        self.sampler = sampler
        self.seed = seed
        self.output = output
        self.decode = decode
        self.resize = resize
        self.overwrite = overwrite
        self.hardLink = hardLink
        self.parametersForSkipped = parametersForSkipped
    }

    /// What one task did.
    public struct Result: Sendable {
        /// Why the source could not be used (nothing of it was written), or nil.
        public var sourceFailure: String?
        /// Per output, in the task's order.
        public var outcomes: [ItemOutcome]
        /// Per output: the parameters of a copy (also of a skipped one, when they are known).
        public var parameters: [TransformParameters?]
    }

    /// Writes `task`'s outputs. Never throws: failures become outcomes.
    public func process(_ task: AugmentTask, sourceRoot: String, destinationRoot: String) -> Result {
        let target = { (relative: String) in destinationRoot + "/" + relative }
        let pending = task.outputs.map { overwrite || !FileIO.exists(target($0.destination)) }
        // Replayed parameters are known; sampled ones need the image's size, so the decode.
        var result = Result(sourceFailure: nil, outcomes: task.outputs.map { _ in .skipped },
                            parameters: task.outputs.map { if case .replayed(let given) = $0.kind { given } else { nil } })
        let sampledSkipped = parametersForSkipped && task.outputs.contains { if case .sampled = $0.kind { true } else { false } }
        let sourcePath = sourceRoot + "/" + task.item.source
        if pending.contains(true) || sampledSkipped {
            let source: PreparedSource
            do { source = try prepare(sourcePath) } catch {
                result.sourceFailure = Self.reason(error)
                return result
            }
            var warp: WarpSource? = nil
            var warning = source.warning   // told once, with the first output written
            for (i, planned) in task.outputs.enumerated() {
                var parameters: TransformParameters? = nil
                switch planned.kind {
                case .original: break
                case .sampled(let index):
                    var generator = SeededGenerator(seed: seed, item: task.item.source, index: index)
                    parameters = sampler.sample(using: &generator, imageSize: source.size)
                case .replayed(let given): parameters = given
                }
                result.parameters[i] = parameters
                guard pending[i] else { continue }
                do {
                    let path = target(planned.destination)
                    if let parameters {
                        if warp == nil { warp = WarpSource(source.image) }
                        try FileIO.writeAtomically(try encode(augmented(warp!, parameters), for: task.item.source), to: path)
                    } else {
                        try writeOriginal(source, from: sourcePath, to: path, relative: task.item.source)
                    }
                    result.outcomes[i] = .done(warning: warning)
                    warning = nil
                } catch {
                    result.outcomes[i] = .failure(error)
                }
            }
        }
        if let companion = task.item.companion { copyCompanion(companion, of: task, result: &result, sourceRoot: sourceRoot, target: target) }
        return result
    }

    /// The copy's pixels: one warp of the source, then the colour changes.
    public func augmented(_ source: WarpSource, _ parameters: TransformParameters) -> RGBImage {
        let size = PixelSize(width: source.width, height: source.height)
        // Brightness alone is applied as the warp writes; a channel shift needs the warped
        // image's range first, so then both run afterwards.
        let fused = parameters.channelShiftIntensity == nil ? parameters.brightness : nil
        var image = source.warped(by: parameters.matrix(width: size.width, height: size.height), size: size,
                                  fill: parameters.fillMode, cval: UInt8(parameters.cval.rounded()), brightness: fused)
        if fused == nil { parameters.photometric.apply(to: &image) }
        return image
    }

    /// A decoded source, upright and at the output size.
    struct PreparedSource {
        var bytes: [UInt8]
        var image: RGBImage
        var format: ImageFormat
        /// True when the file's own bytes are the original's output as they are.
        var copyable: Bool
        var warning: String?
        var size: PixelSize { PixelSize(width: image.width, height: image.height) }
    }

    func prepare(_ path: String) throws -> PreparedSource {
        let bytes = try FileIO.read(path)
        var options = decode
        if let resize, resize.filter != .nearest { options.reduceTo = resize.minimumSourceSize }
        let decoded = try ImageDecoder.decode(bytes, options: options)
        let image = resize.map { decoded.image.resized($0) } ?? decoded.image
        let copyable = resize == nil && decoded.orientation == .up
            && decoded.format == output.encodeFormat(forSource: path).imageFormat
        return PreparedSource(bytes: bytes, image: image, format: decoded.format, copyable: copyable,
                              warning: ResizeJob.misnamedWarning(path: path, format: decoded.format))
    }

    /// The original: its own bytes (or a hard link) when they already are the output, else re-encoded.
    func writeOriginal(_ source: PreparedSource, from sourcePath: String, to path: String, relative: String) throws {
        guard source.copyable else {
            try FileIO.writeAtomically(try encode(source.image, for: relative), to: path)
            return
        }
        if hardLink, (try? FileIO.linkAtomically(sourcePath, to: path)) != nil { return }
        try FileIO.writeAtomically(source.bytes, to: path)
    }

    func encode(_ image: RGBImage, for source: String) throws(ImageError) -> [UInt8] {
        try ImageEncoder.encode(image, as: output.encodeFormat(forSource: source))
    }

    /// Each written (or present) output gets the source's companion, byte for byte.
    private func copyCompanion(_ companion: String, of task: AugmentTask, result: inout Result, sourceRoot: String,
                               target: (String) -> String) {
        guard result.sourceFailure == nil else { return }
        var bytes: [UInt8]? = nil
        for (i, planned) in task.outputs.enumerated() {
            guard let name = planned.companion else { continue }
            if case .failed = result.outcomes[i] { continue }
            if !overwrite && FileIO.exists(target(name)) { continue }
            do {
                if bytes == nil { bytes = try FileIO.read(sourceRoot + "/" + companion) }
                try FileIO.writeAtomically(bytes!, to: target(name))
            } catch {
                result.outcomes[i] = .failure(error)
            }
        }
    }

    static func reason(_ error: any Error) -> String {
        if case .failed(let reason) = ItemOutcome.failure(error) { return reason }
        return "\(error)"
    }
}
