#ifndef DATASET_CPNG_SHIM_H
#define DATASET_CPNG_SHIM_H
/*
 * A small C layer over libpng's classic API.
 *
 * Why C: libpng reports errors with longjmp, which Swift cannot catch, and its simplified API
 * converts 16-bit and gamma-tagged images (it treats 16-bit input without gAMA as linear light
 * and may premultiply alpha). This layer uses setjmp in every entry point, asks libpng only for
 * lossless expansion (palette, tRNS, 1/2/4-bit gray) and hands the file's own sample values to
 * Swift, which reduces and composites them by value.
 *
 * <png.h> stays visible so code written against the former system-library module still builds.
 */
#include <stddef.h>
#include <stdint.h>
#include <png.h>

/** Outcome of a reader or writer call. */
typedef enum {
    DATASET_PNG_OK = 0,
    /** The input ended before libpng had all the bytes it needed. */
    DATASET_PNG_TRUNCATED = 1,
    /** libpng rejected the data; see the message. */
    DATASET_PNG_CORRUPT = 2,
} dataset_png_status;

/** What the file holds and what the rows handed out look like. */
typedef struct {
    uint32_t width;
    uint32_t height;
    /** IHDR bit depth (1, 2, 4, 8, 16) and colour type (0, 2, 3, 4, 6). */
    int bit_depth;
    int color_type;
    /** Non-zero for Adam7 files: read them with dataset_png_read_image. */
    int interlaced;
    /** Non-zero when a tRNS chunk was found (it becomes an alpha channel). */
    int has_trns;
    /** Samples per pixel in the rows handed out: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
    int channels;
    /** 8 or 16; 16-bit samples are big-endian. */
    int sample_bits;
    /** Bytes per row handed out. */
    size_t rowbytes;
} dataset_png_info;

typedef struct dataset_png_reader dataset_png_reader;

/** Starts reading `size` bytes at `data` (kept, not copied, until destroy). NULL if out of memory. */
dataset_png_reader *dataset_png_reader_create(const void *data, size_t size);
/** Reads the chunks before the image data and sets up expansion to 8/16-bit gray/GA/RGB/RGBA. */
int dataset_png_read_info(dataset_png_reader *reader, dataset_png_info *info);
/** Reads the next `count` rows of a non-interlaced image into dst, dst + stride, ... */
int dataset_png_read_rows(dataset_png_reader *reader, uint8_t *dst, size_t stride, uint32_t count);
/** Reads the whole image (all Adam7 passes when interlaced) into dst, dst + stride, ... */
int dataset_png_read_image(dataset_png_reader *reader, uint8_t *dst, size_t stride);
/** The last error, in libpng's words (empty when none). */
const char *dataset_png_reader_message(const dataset_png_reader *reader);
void dataset_png_reader_destroy(dataset_png_reader *reader);

typedef struct dataset_png_writer dataset_png_writer;

/** A writer that collects the encoded file in memory. NULL if out of memory. */
dataset_png_writer *dataset_png_writer_create(void);
/** PNG colour types the writer produces (libpng's PNG_COLOR_TYPE_* are macro expressions). */
typedef enum {
    DATASET_PNG_WRITE_RGB = 2,
    DATASET_PNG_WRITE_PALETTE = 3,
    DATASET_PNG_WRITE_RGBA = 6,
} dataset_png_write_type;

/** What to write: 8-bit RGB, RGBA or palette indices, rows `stride` bytes apart. */
typedef struct {
    uint32_t width;
    uint32_t height;
    size_t stride;
    dataset_png_write_type color_type;
    /** Palette images only: `palette_count` (1-256) RGB triples, and `trns_count` (0 to
        palette_count) alpha values for the first entries (the tRNS chunk; the rest are opaque). */
    const uint8_t *palette;
    int palette_count;
    const uint8_t *trns;
    int trns_count;
    /** zlib level 0 (stored) to 9 (smallest). */
    int compression_level;
} dataset_png_write_layout;

/** Encodes rows described by `layout`, non-interlaced, 8 bits per sample. Call once per writer. */
int dataset_png_write(dataset_png_writer *writer, const uint8_t *pixels, const dataset_png_write_layout *layout);
/** Encodes RGB8 rows (`stride` bytes apart) at zlib level 0-9. Call once per writer. */
int dataset_png_write_rgb8(dataset_png_writer *writer, const uint8_t *pixels, uint32_t width,
                           uint32_t height, size_t stride, int compression_level);
const uint8_t *dataset_png_writer_data(const dataset_png_writer *writer);
size_t dataset_png_writer_size(const dataset_png_writer *writer);
const char *dataset_png_writer_message(const dataset_png_writer *writer);
void dataset_png_writer_destroy(dataset_png_writer *writer);

#endif
