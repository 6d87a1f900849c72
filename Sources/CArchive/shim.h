#ifndef DATASET_CARCHIVE_SHIM_H
#define DATASET_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

// Swift cannot import libarchive's cast macros (AE_IF*) or call its printf-style
// archive_set_error; these re-export what DatasetKit needs.
static const unsigned int DS_AE_IFMT = AE_IFMT;
static const unsigned int DS_AE_IFREG = AE_IFREG;
static const unsigned int DS_AE_IFDIR = AE_IFDIR;
static const unsigned int DS_AE_IFLNK = AE_IFLNK;
static const unsigned int DS_AE_IFCHR = AE_IFCHR;
static const unsigned int DS_AE_IFBLK = AE_IFBLK;
static const unsigned int DS_AE_IFIFO = AE_IFIFO;
static const unsigned int DS_AE_IFSOCK = AE_IFSOCK;

static const int DS_ARCHIVE_OK = ARCHIVE_OK;
static const int DS_ARCHIVE_EOF = ARCHIVE_EOF;
static const int DS_ARCHIVE_RETRY = ARCHIVE_RETRY;
static const int DS_ARCHIVE_WARN = ARCHIVE_WARN;
static const int DS_ARCHIVE_FAILED = ARCHIVE_FAILED;
static const int DS_ARCHIVE_FATAL = ARCHIVE_FATAL;

/// Records an error message on the archive (from a read callback).
static inline void ds_archive_set_error(struct archive *a, int code, const char *message) {
    archive_set_error(a, code, "%s", message);
}

static const int DS_ARCHIVE_FORMAT_BASE_MASK = ARCHIVE_FORMAT_BASE_MASK;
static const int DS_ARCHIVE_FORMAT_ZIP = ARCHIVE_FORMAT_ZIP;

static const int DS_ARCHIVE_FILTER_BZIP2 = ARCHIVE_FILTER_BZIP2;
static const int DS_ARCHIVE_FILTER_COMPRESS = ARCHIVE_FILTER_COMPRESS;
static const int DS_ARCHIVE_FILTER_LZMA = ARCHIVE_FILTER_LZMA;
static const int DS_ARCHIVE_FILTER_XZ = ARCHIVE_FILTER_XZ;
static const int DS_ARCHIVE_FILTER_LZ4 = ARCHIVE_FILTER_LZ4;
static const int DS_ARCHIVE_FILTER_ZSTD = ARCHIVE_FILTER_ZSTD;

// libarchive 3.6's gzip reader skips the gzip trailer without checking its CRC-32 and length,
// so a damaged tar.gz unpacks silently; DatasetKit inflates gzip itself with zlib, which checks
// both. inflateInit2 is a macro.
static const int DS_Z_OK = Z_OK;
static const int DS_Z_STREAM_END = Z_STREAM_END;
static const int DS_Z_BUF_ERROR = Z_BUF_ERROR;
static const int DS_Z_NO_FLUSH = Z_NO_FLUSH;

/// Starts inflating a gzip stream (header, CRC-32 and length checked by zlib).
static inline int ds_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
#endif
