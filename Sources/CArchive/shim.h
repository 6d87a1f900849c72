#ifndef DATASET_CARCHIVE_SHIM_H
#define DATASET_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
