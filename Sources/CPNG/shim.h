#ifndef DATASET_CPNG_SHIM_H
#define DATASET_CPNG_SHIM_H
#include <png.h>
#endif
