import CDNNL

/// A oneDNN CPU engine and the in-order stream a network runs on.
///
/// oneDNN parallelises each primitive with OpenMP. The thread count is set on the calling
/// thread (`omp_set_num_threads`) by `useThreads()` before work is submitted, so results and
/// speed do not depend on which thread drives the network.
public final class ComputeEngine: @unchecked Sendable {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    /// OpenMP threads for every primitive this engine runs.
    public let threads: Int

    public init(threads: Int = ComputeEngine.defaultThreads) throws(DNNLError) {
        self.threads = max(1, threads)
        _ = cdnnl_set_num_threads(Int32(self.threads))
        var engine: dnnl_engine_t?
        try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine creation")
        var stream: dnnl_stream_t?
        do {
            try check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "stream creation")
        } catch {
            dnnl_engine_destroy(engine)
            throw error
        }
        self.engine = engine!
        self.stream = stream!
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
        scratchpadBuffer?.deallocate()
    }

    private var scratchpadBuffer: UnsafeMutableRawPointer?
    private var scratchpadBytes = 0

    /// The temporary memory every primitive run on this engine shares (primitives run one after
    /// another on its stream), grown to the largest asked for.
    func scratchpad(bytes: Int) -> UnsafeMutableRawPointer {
        if bytes > scratchpadBytes || scratchpadBuffer == nil {
            scratchpadBuffer?.deallocate()
            scratchpadBytes = max(bytes, 64)
            scratchpadBuffer = UnsafeMutableRawPointer.allocate(byteCount: scratchpadBytes, alignment: 64)
        }
        return scratchpadBuffer!
    }

    /// Makes the calling thread's OpenMP regions use `threads` workers.
    @inline(__always)
    public func useThreads() { _ = cdnnl_set_num_threads(Int32(threads)) }

    /// Waits for submitted primitives (the CPU stream is synchronous, but the API asks for it).
    public func wait() throws(DNNLError) { try check(dnnl_stream_wait(stream), "stream wait") }

    /// All online cores.
    public static var defaultThreads: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The instruction set oneDNN's kernels were generated for (e.g. "avx512_core").
    public static var instructionSet: String {
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: "sse41"
        case dnnl_cpu_isa_avx: "avx"
        case dnnl_cpu_isa_avx2: "avx2"
        case dnnl_cpu_isa_avx512_mic: "avx512_mic"
        case dnnl_cpu_isa_avx512_core: "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: "avx512_core_amx"
        default: "other"
        }
    }

    /// The oneDNN version, e.g. "2.6.3".
    public static var libraryVersion: String {
        guard let v = dnnl_version() else { return "?" }
        return "\(v.pointee.major).\(v.pointee.minor).\(v.pointee.patch)"
    }
}

#if canImport(Glibc)
import Glibc
#endif
