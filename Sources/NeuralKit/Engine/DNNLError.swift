import CDNNL

/// A oneDNN call that failed: which operation, and oneDNN's status.
public struct DNNLError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var status: Int

    public var description: String {
        let reason: String
        switch dnnl_status_t(rawValue: UInt32(status)) {
        case dnnl_out_of_memory: reason = "out of memory"
        case dnnl_invalid_arguments: reason = "invalid arguments"
        case dnnl_unimplemented: reason = "no implementation for these shapes and layouts"
        case dnnl_runtime_error: reason = "runtime error"
        default: reason = "status \(status)"
        }
        return "oneDNN \(operation) failed: \(reason)"
    }
}

/// Throws a `DNNLError` naming `operation` unless `status` is success.
@inline(__always)
func check(_ status: dnnl_status_t, _ operation: @autoclosure () -> String) throws(DNNLError) {
    if status != dnnl_success { throw DNNLError(operation: operation(), status: Int(status.rawValue)) }
}
