import CHDF5

/// One libhdf5 identifier (file, group, dataset, attribute, type, space, property list),
/// closed when the handle is released, so every early exit closes what it opened.
final class HDF5Handle {
    let id: hid_t

    /// Wraps `id`, or returns nil when it is negative (libhdf5's failure value).
    init?(_ id: hid_t) {
        guard id >= 0 else { return nil }
        self.id = id
    }

    deinit {
        HDF5Library.call {
            // H5Idec_ref closes any kind of identifier once its count reaches zero.
            _ = H5Idec_ref(id)
        }
    }
}
