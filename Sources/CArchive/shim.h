#ifndef DATASET_CARCHIVE_SHIM_H
#define DATASET_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

/*
 * Swift cannot import cast macros such as AE_IFREG ((__LA_MODE_T)0100000): re-export the
 * file types the toolkit writes and reads as constants.
 */
static const unsigned int DATASET_AE_IFMT = AE_IFMT;
static const unsigned int DATASET_AE_IFREG = AE_IFREG;
static const unsigned int DATASET_AE_IFDIR = AE_IFDIR;
static const unsigned int DATASET_AE_IFLNK = AE_IFLNK;

#endif
