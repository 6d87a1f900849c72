/* libpng classic-API reader and writer for Swift; see include/shim.h for why this exists. */
#include "shim.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reader ---- */

struct dataset_png_reader {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
    int passes;
    char message[256];
};

static void reader_error(png_structp png, png_const_charp message) {
    dataset_png_reader *reader = png_get_error_ptr(png);
    snprintf(reader->message, sizeof reader->message, "%s", message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

/* Warnings (bad ancillary chunks, CRC errors in them, unknown profiles) never stop a decode. */
static void ignore_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void read_from_memory(png_structp png, png_bytep out, size_t length) {
    dataset_png_reader *reader = png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        reader->truncated = 1;
        png_error(png, "the file ends before the image data is complete");
    }
    memcpy(out, reader->data + reader->offset, length);
    reader->offset += length;
}

static int reader_failure(const dataset_png_reader *reader) {
    return reader->truncated ? DATASET_PNG_TRUNCATED : DATASET_PNG_CORRUPT;
}

dataset_png_reader *dataset_png_reader_create(const void *data, size_t size) {
    dataset_png_reader *reader = calloc(1, sizeof *reader);
    if (!reader) return NULL;
    reader->data = data;
    reader->size = size;
    reader->passes = 1;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, reader_error, ignore_warning);
    if (!reader->png) { free(reader); return NULL; }
    reader->info = png_create_info_struct(reader->png);
    if (!reader->info) { dataset_png_reader_destroy(reader); return NULL; }
    png_set_read_fn(reader->png, reader, read_from_memory);
    /* The caller enforces its own pixel limit from IHDR; libpng's default 1M-per-side cap
       would refuse legitimate long strips. */
    png_set_user_limits(reader->png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    return reader;
}

int dataset_png_read_info(dataset_png_reader *reader, dataset_png_info *out) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(png_jmpbuf(png))) return reader_failure(reader);

    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    out->width = width;
    out->height = height;
    out->bit_depth = bit_depth;
    out->color_type = color_type;
    out->interlaced = interlace != PNG_INTERLACE_NONE;
    out->has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;

    /* Lossless by-value expansion only: palette -> RGB(A), 1/2/4-bit gray -> 8-bit
       (v * 255 / (2^n - 1)), tRNS -> alpha. No gamma, sBIT, background or 16->8 transforms:
       Swift does the rest with exact integer arithmetic. */
    png_set_expand(png);
    if (out->interlaced) reader->passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    out->channels = png_get_channels(png, info);
    out->sample_bits = png_get_bit_depth(png, info);
    out->rowbytes = png_get_rowbytes(png, info);
    return DATASET_PNG_OK;
}

int dataset_png_read_rows(dataset_png_reader *reader, uint8_t *dst, size_t stride, uint32_t count) {
    png_structp png = reader->png;
    if (setjmp(png_jmpbuf(png))) return reader_failure(reader);
    for (uint32_t y = 0; y < count; y++) png_read_row(png, dst + (size_t)y * stride, NULL);
    return DATASET_PNG_OK;
}

int dataset_png_read_image(dataset_png_reader *reader, uint8_t *dst, size_t stride) {
    png_structp png = reader->png;
    png_uint_32 height = png_get_image_height(png, reader->info);
    int passes = reader->passes;
    if (setjmp(png_jmpbuf(png))) return reader_failure(reader);
    /* With interlace handling on, libpng wants every row once per pass and fills in the
       pixels of that pass, so all seven passes land in place. */
    for (int pass = 0; pass < passes; pass++)
        for (png_uint_32 y = 0; y < height; y++) png_read_row(png, dst + (size_t)y * stride, NULL);
    return DATASET_PNG_OK;
}

const char *dataset_png_reader_message(const dataset_png_reader *reader) {
    return reader->message;
}

void dataset_png_reader_destroy(dataset_png_reader *reader) {
    if (!reader) return;
    png_destroy_read_struct(&reader->png, reader->info ? &reader->info : NULL, NULL);
    free(reader);
}

/* ---- writer ---- */

struct dataset_png_writer {
    uint8_t *data;
    size_t size;
    size_t capacity;
    char message[256];
};

static void writer_error(png_structp png, png_const_charp message) {
    dataset_png_writer *writer = png_get_error_ptr(png);
    snprintf(writer->message, sizeof writer->message, "%s", message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

static void write_to_memory(png_structp png, png_bytep bytes, size_t length) {
    dataset_png_writer *writer = png_get_io_ptr(png);
    if (length > writer->capacity - writer->size) {
        size_t capacity = writer->capacity ? writer->capacity : 65536;
        while (length > capacity - writer->size) {
            if (capacity > SIZE_MAX / 2) png_error(png, "encoded image too large");
            capacity *= 2;
        }
        uint8_t *grown = realloc(writer->data, capacity);
        if (!grown) png_error(png, "out of memory");
        writer->data = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->data + writer->size, bytes, length);
    writer->size += length;
}

static void flush_memory(png_structp png) { (void)png; }

dataset_png_writer *dataset_png_writer_create(void) {
    return calloc(1, sizeof(dataset_png_writer));
}

int dataset_png_write(dataset_png_writer *writer, const uint8_t *pixels, const dataset_png_write_layout *layout) {
    int indexed = layout->color_type == DATASET_PNG_WRITE_PALETTE;
    if (indexed && (layout->palette_count < 1 || layout->palette_count > 256 || layout->trns_count < 0 ||
                    layout->trns_count > layout->palette_count)) {
        snprintf(writer->message, sizeof writer->message, "a palette needs 1-256 entries and at most as many alpha values");
        return DATASET_PNG_CORRUPT;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, writer, writer_error, ignore_warning);
    if (!png) {
        snprintf(writer->message, sizeof writer->message, "out of memory");
        return DATASET_PNG_CORRUPT;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(writer->message, sizeof writer->message, "out of memory");
        return DATASET_PNG_CORRUPT;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return DATASET_PNG_CORRUPT;
    }
    png_set_write_fn(png, writer, write_to_memory, flush_memory);
    png_set_compression_level(png, layout->compression_level);
    /* Level 0 stores the data; filtering would only cost time. Palette indices are not
       magnitudes, so filters rarely help them either (libpng's own advice). */
    if (layout->compression_level == 0 || indexed) png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_IHDR(png, info, layout->width, layout->height, 8, (int)layout->color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (indexed) {
        png_color entries[256];
        for (int i = 0; i < layout->palette_count; i++) {
            entries[i].red = layout->palette[3 * i];
            entries[i].green = layout->palette[3 * i + 1];
            entries[i].blue = layout->palette[3 * i + 2];
        }
        png_set_PLTE(png, info, entries, layout->palette_count);
        if (layout->trns_count > 0) png_set_tRNS(png, info, layout->trns, layout->trns_count, NULL);
    }
    png_write_info(png, info);
    for (uint32_t y = 0; y < layout->height; y++) png_write_row(png, pixels + (size_t)y * layout->stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return DATASET_PNG_OK;
}

int dataset_png_write_rgb8(dataset_png_writer *writer, const uint8_t *pixels, uint32_t width,
                           uint32_t height, size_t stride, int compression_level) {
    dataset_png_write_layout layout = {
        .width = width, .height = height, .stride = stride, .color_type = DATASET_PNG_WRITE_RGB,
        .compression_level = compression_level,
    };
    return dataset_png_write(writer, pixels, &layout);
}

const uint8_t *dataset_png_writer_data(const dataset_png_writer *writer) { return writer->data; }
size_t dataset_png_writer_size(const dataset_png_writer *writer) { return writer->size; }
const char *dataset_png_writer_message(const dataset_png_writer *writer) { return writer->message; }

void dataset_png_writer_destroy(dataset_png_writer *writer) {
    if (!writer) return;
    free(writer->data);
    free(writer);
}
