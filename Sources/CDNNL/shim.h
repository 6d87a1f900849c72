// oneDNN 2.x C API (Debian's libdnnl-dev 2.6), with the few macros Swift cannot import
// re-exported as functions: the "allocate for me" handle is a pointer cast, and the OpenMP
// thread count has no oneDNN setter.
#ifndef CDNNL_SHIM_H
#define CDNNL_SHIM_H

#include <dnnl.h>
#include <dlfcn.h>
#include <stddef.h>

/// DNNL_MEMORY_ALLOCATE: ask dnnl_memory_create to allocate the buffer itself.
static inline void *cdnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

/// Sets the OpenMP thread count oneDNN's parallel regions use on the calling thread
/// (omp_set_num_threads, found at run time in the libgomp oneDNN is linked with: OMP_NUM_THREADS
/// itself is read when libgomp loads, before any Swift code runs). Returns 0 when there is no
/// OpenMP runtime (a sequential or TBB build of oneDNN).
static inline int cdnnl_set_num_threads(int count) {
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (!set) return 0;
    set(count);
    return 1;
}

/// omp_get_max_threads(), or 1 without an OpenMP runtime.
static inline int cdnnl_max_threads(void) {
    int (*get)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_max_threads");
    return get ? get() : 1;
}

#endif
