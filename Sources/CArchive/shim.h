#ifndef DATASET_CARCHIVE_SHIM_H
#define DATASET_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

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
#endif
