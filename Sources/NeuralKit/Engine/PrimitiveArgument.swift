import CDNNL

/// One argument of a primitive: the memory it reads or writes, and the query that gives the
/// layout the primitive wants for it.
struct PrimitiveArgument {
    var id: Int32
    var memory: Memory
    var query: dnnl_query_t
    var index: Int = 0

    static func src(_ m: Memory) -> PrimitiveArgument { PrimitiveArgument(id: DNNL_ARG_SRC, memory: m, query: dnnl_query_src_md) }
    static func dst(_ m: Memory) -> PrimitiveArgument { PrimitiveArgument(id: DNNL_ARG_DST, memory: m, query: dnnl_query_dst_md) }
    static func weights(_ m: Memory) -> PrimitiveArgument { PrimitiveArgument(id: DNNL_ARG_WEIGHTS, memory: m, query: dnnl_query_weights_md) }
    static func bias(_ m: Memory) -> PrimitiveArgument { PrimitiveArgument(id: DNNL_ARG_BIAS, memory: m, query: dnnl_query_weights_md, index: 1) }
    static func diffSrc(_ m: Memory) -> PrimitiveArgument { PrimitiveArgument(id: DNNL_ARG_DIFF_SRC, memory: m, query: dnnl_query_diff_src_md) }
    static func diffDst(_ m: Memory) -> PrimitiveArgument { PrimitiveArgument(id: DNNL_ARG_DIFF_DST, memory: m, query: dnnl_query_diff_dst_md) }
    static func diffWeights(_ m: Memory) -> PrimitiveArgument {
        PrimitiveArgument(id: DNNL_ARG_DIFF_WEIGHTS, memory: m, query: dnnl_query_diff_weights_md)
    }
    static func diffBias(_ m: Memory) -> PrimitiveArgument {
        PrimitiveArgument(id: DNNL_ARG_DIFF_BIAS, memory: m, query: dnnl_query_diff_weights_md, index: 1)
    }
    /// Source `index` of a primitive with several (sum, concat).
    static func source(_ index: Int, _ m: Memory) -> PrimitiveArgument {
        PrimitiveArgument(id: DNNL_ARG_MULTIPLE_SRC + Int32(index), memory: m, query: dnnl_query_src_md, index: index)
    }
    static func workspace(_ m: Memory) -> PrimitiveArgument { PrimitiveArgument(id: DNNL_ARG_WORKSPACE, memory: m, query: dnnl_query_workspace_md) }
}
