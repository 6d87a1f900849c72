/// What `--weights` asks for: no file (random initialisation), the ImageNet file Keras uses for
/// the backbone, or a file the user names.
public enum WeightsChoice: Sendable, Equatable {
    case none
    case imagenet
    case file(String)

    /// `none` and `imagenet` are the keywords (as Keras' `weights=None`/`"imagenet"`); any other
    /// text is a path, kept as given (a file literally named `imagenet` is `./imagenet`).
    public init(parsing text: String) throws(WeightsError) {
        switch text {
        case "": throw .emptyChoice
        case "none": self = .none
        case "imagenet": self = .imagenet
        default: self = .file(text)
        }
    }
}
