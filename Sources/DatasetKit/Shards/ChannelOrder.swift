/// The order of the colour channels a network reads. Images are decoded as RGB; networks
/// ported from Caffe (Keras' VGG16 and ResNet50, `preprocess_input` mode "caffe") read BGR.
public enum ChannelOrder: String, Sendable, Hashable, Codable, CaseIterable {
    case rgb, bgr

    /// The RGB channel (0 red, 1 green, 2 blue) that network channel `channel` (0-2) reads.
    public func sourceChannel(_ channel: Int) -> Int {
        self == .rgb ? channel : 2 - channel
    }
}
