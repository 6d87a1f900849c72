/// One tensor of a weight file as its index lists it: where it is and its stored shape and
/// type. The values are read on demand (`KerasWeightFile.values(_:)`), so listing a file costs
/// no more than its metadata.
public struct TensorInfo: Sendable, Hashable, CustomStringConvertible {
    /// How the values are stored in the file. Floats of any width are read as `Float`.
    public enum StoredType: Sendable, Hashable, CustomStringConvertible {
        case float(bits: Int)
        case integer(bits: Int, signed: Bool)
        /// Anything else (strings, compounds, ...), by libhdf5's class name.
        case other(String)

        public var isFloat: Bool {
            if case .float = self { return true }
            return false
        }

        public var description: String {
            switch self {
            case .float(let bits): "float\(bits)"
            case .integer(let bits, let signed): "\(signed ? "int" : "uint")\(bits)"
            case .other(let name): name
            }
        }
    }

    /// The name the file gives it: a `weight_names` entry (`conv1/kernel:0`, `block1_conv1_W_1:0`)
    /// or, in a Keras 3 `.weights.h5`, the variable's index (`0`, `1`, ...).
    public let name: String
    /// The full path of its dataset in the file, e.g. `/conv1/conv1/kernel:0`.
    public let path: String
    /// The stored shape, outermost first (Keras kernels are HWIO; `[]` is a scalar).
    public let shape: [Int]
    public let storedType: StoredType

    public init(name: String, path: String, shape: [Int], storedType: StoredType) {
        self.name = name
        self.path = path
        self.shape = shape
        self.storedType = storedType
    }

    /// The number of values (the shape's product; shapes are bounded when the file is indexed).
    public var count: Int { shape.reduce(1, *) }

    public var description: String { "\(name) \(shape) \(storedType)" }
}
