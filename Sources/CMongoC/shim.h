#ifndef JOBHUNT_CMONGOC_SHIM_H
#define JOBHUNT_CMONGOC_SHIM_H

#include <mongoc/mongoc.h>
#include <stdlib.h>

/// Storage for a `bson_t` that a libmongoc call initialises itself (a "reply" out-parameter).
/// `bson_t` is 128-byte aligned; Swift cannot allocate it, so C does. Free with
/// `jobhunt_bson_reply_free`, which destroys the document and then releases the storage.
static inline bson_t *jobhunt_bson_reply_alloc(void) {
    bson_t *reply = (bson_t *)aligned_alloc(128, sizeof(bson_t));
    if (reply) { bson_init(reply); }
    return reply;
}

static inline void jobhunt_bson_reply_free(bson_t *reply) {
    if (!reply) { return; }
    bson_destroy(reply);
    free(reply);
}

/// A `bson_iter_t` on the heap, aligned as libbson requires.
static inline bson_iter_t *jobhunt_bson_iter_alloc(void) {
    return (bson_iter_t *)aligned_alloc(128, sizeof(bson_iter_t));
}

static inline void jobhunt_bson_iter_free(bson_iter_t *iter) { free(iter); }

/// The length in bytes of a document (`bson_t.len`; `bson_t` itself does not import into Swift).
static inline uint32_t jobhunt_bson_len(const bson_t *doc) { return doc->len; }

/// Uninitialised, aligned storage for one `bson_t`, for `bson_init_static` over a buffer the
/// caller owns (no copy). Nothing to destroy: release with `jobhunt_bson_storage_free`.
static inline bson_t *jobhunt_bson_storage_alloc(void) {
    return (bson_t *)aligned_alloc(128, sizeof(bson_t));
}

static inline void jobhunt_bson_storage_free(bson_t *storage) { free(storage); }

#endif
