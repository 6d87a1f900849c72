// libhdf5's C API (Debian's libhdf5-dev 1.10, serial build), with the macros Swift cannot import
// re-exported as functions: the predefined types and flags expand to `(H5OPEN H5T_..._g)`,
// which initialise the library before reading a global.
#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H

#include <hdf5.h>

static inline hid_t chdf5_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_all(void) { return H5S_ALL; }
static inline hid_t chdf5_error_default(void) { return H5E_DEFAULT; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }

static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }

// Types a test writes files with (as h5py and Keras do).
static inline hid_t chdf5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t chdf5_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t chdf5_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t chdf5_file_access(void) { return H5P_FILE_ACCESS; }
static inline H5F_libver_t chdf5_libver_latest(void) { return H5F_LIBVER_LATEST; }

static herr_t chdf5_refuse_external_link(const char *parent_file, const char *parent_group,
                                         const char *child_file, const char *child_object,
                                         unsigned *access_flags, hid_t access_list, void *context) {
    (void)parent_file; (void)parent_group; (void)child_file; (void)child_object;
    (void)access_flags; (void)access_list; (void)context;
    return -1;
}

/// A link access property list that refuses to follow external links: a weight file read
/// through it cannot make libhdf5 open other files.
static inline hid_t chdf5_link_access_without_external_links(void) {
    hid_t list = H5Pcreate(H5P_LINK_ACCESS);
    if (list < 0) return list;
    if (H5Pset_elink_cb(list, chdf5_refuse_external_link, NULL) < 0) {
        H5Pclose(list);
        return -1;
    }
    return list;
}

/// HADDR_UNDEF: what H5Dget_offset returns for a dataset without contiguous storage.
static inline haddr_t chdf5_undefined_address(void) { return HADDR_UNDEF; }

/// Whether the library serialises its own calls (Debian builds it so).
static inline int chdf5_is_threadsafe(void) {
#ifdef H5_HAVE_THREADSAFE
    return 1;
#else
    return 0;
#endif
}

/// Frees the strings a variable-length string read allocated (H5Dvlen_reclaim became
/// H5Treclaim in 1.12).
static inline herr_t chdf5_reclaim(hid_t type, hid_t space, void *buffer) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

struct chdf5_message { char *buffer; size_t size; int found; };

static herr_t chdf5_keep_innermost(unsigned depth, const H5E_error2_t *error, void *context) {
    struct chdf5_message *message = (struct chdf5_message *)context;
    if (depth == 0 && error->desc && message->size > 0) {
        size_t i = 0;
        for (; i + 1 < message->size && error->desc[i]; i++) message->buffer[i] = error->desc[i];
        message->buffer[i] = 0;
        message->found = 1;
    }
    return 0;
}

/// Copies into `buffer` the description of the innermost error on the calling thread's error
/// stack (where libhdf5 says what it found wrong, e.g. "truncated file: eof = ..."); call it
/// right after the failing call, before any other. Returns 0 when the stack is empty.
static inline int chdf5_innermost_error(char *buffer, size_t size) {
    struct chdf5_message message = { buffer, size, 0 };
    if (size > 0) buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, chdf5_keep_innermost, &message);
    return message.found;
}

#endif
