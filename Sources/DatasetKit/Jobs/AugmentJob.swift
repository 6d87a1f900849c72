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
            let source: AugmentSource
            do { source = try prepare(sourcePath, needsRGB: needsRGB(task)) } catch {
                result.sourceFailure = Self.reason(error)
                return result
            }
            var warps = Warps(source)
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
                        try FileIO.writeAtomically(try encodeCopy(parameters, of: &warps, for: task.item.source), to: path)
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

    /// The copy's planes, laid out for `subsampling`: one warp per plane, brightness as it is
    /// written. Not for a channel shift, which needs RGB (see `PlanarWarpSource`).
    public func augmented(_ source: PlanarWarpSource, _ parameters: TransformParameters,
                          subsampling: ChromaSubsampling) -> YCbCrImage {
        precondition(parameters.channelShiftIntensity == nil, "a channel shift is applied in RGB")
        let size = source.size
        return source.warped(by: parameters.matrix(width: size.width, height: size.height), size: size,
                             subsampling: subsampling, fill: parameters.fillMode,
                             cval: UInt8(parameters.cval.rounded()), brightness: parameters.brightness)
    }

    /// True when the copy is made in RGB even from a JPEG's planes: its channel shift clips to
    /// the RGB image's range.
    static func needsRGB(_ parameters: TransformParameters) -> Bool { parameters.channelShiftIntensity != nil }

    /// True when some output of `task` must be made from RGB pixels whatever the source is.
    func needsRGB(_ task: AugmentTask) -> Bool {
        task.outputs.contains { planned in
            switch planned.kind {
            case .original: false
            case .sampled: sampler.parameters.channelShiftRange > 0
            case .replayed(let given): Self.needsRGB(given)
            }
        }
    }

    /// The encoded copy: from the planes when the output is a JPEG and the source one (see
    /// `AugmentSource`), else from RGB.
    func encodeCopy(_ parameters: TransformParameters, of warps: inout Warps, for source: String) throws -> [UInt8] {
        if case .jpeg(let quality, let subsampling) = output.encodeFormat(forSource: source),
           !Self.needsRGB(parameters), let planar = warps.planar() {
            return try ImageEncoder.encodeJPEG(augmented(planar, parameters, subsampling: subsampling),
                                               quality: quality, subsampling: subsampling)
        }
        return try encode(augmented(warps.rgb(self), parameters), for: source)
    }

    /// A source's padded copies for warping, made on first use (most sources need one kind).
    struct Warps {
        let source: AugmentSource
        private var planarWarp: PlanarWarpSource?
        private var rgbWarp: WarpSource?

        init(_ source: AugmentSource) { self.source = source }

        mutating func planar() -> PlanarWarpSource? {
            guard let planes = source.planes else { return nil }
            if planarWarp == nil { planarWarp = PlanarWarpSource(planes) }
            return planarWarp
        }

        mutating func rgb(_ job: AugmentJob) throws -> WarpSource {
            if rgbWarp == nil { rgbWarp = WarpSource(try job.rgb(of: source)) }
            return rgbWarp!
        }
    }

    /// The original: its own bytes (or a hard link) when they already are the output, else
    /// re-encoded (from the planes when both are JPEG).
    func writeOriginal(_ source: AugmentSource, from sourcePath: String, to path: String, relative: String) throws {
        guard source.copyable else {
            if case .jpeg(let quality, let subsampling) = output.encodeFormat(forSource: relative), let planes = source.planes {
                let laidOut = planes.isLaidOut(for: subsampling) ? planes
                    : PlanarWarpSource(planes).warped(by: .identity, size: source.size, subsampling: subsampling, fill: .nearest)
                try FileIO.writeAtomically(try ImageEncoder.encodeJPEG(laidOut, quality: quality, subsampling: subsampling), to: path)
            } else {
                try FileIO.writeAtomically(try encode(try rgb(of: source), for: relative), to: path)
            }
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
