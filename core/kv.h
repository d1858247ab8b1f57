/*
 * core/kv.h: a small ordered list of text fields, name -> value.
 *
 * A record's fields travel between forms/, store/, the CLI and the UI as a
 * struct kv: names are field ids, values are canonical text (integers in
 * ASCII decimal, dates yyyy-mm-dd, choice codes, yes/no "1"/"0", text in
 * NFC).  The list owns copies of every string it holds.
 */
#ifndef CCHC_CORE_KV_H
#define CCHC_CORE_KV_H

#include <stddef.h>

struct kv_pair {
	char *name;
	char *value;
};

struct kv {
	struct kv_pair *v;
	size_t n, cap;
};

#define KV_INIT {NULL, 0, 0}

/* Value of name, or NULL.  The pointer is valid until the next kv_set/kv_del. */
const char *kv_get(const struct kv *kv, const char *name);

/* Set name to value (copied), replacing an existing value in place or
 * appending.  0 ok, -1 out of memory (kv unchanged). */
int kv_set(struct kv *kv, const char *name, const char *value);

/* Remove name; 1 if it was there, else 0. */
int kv_del(struct kv *kv, const char *name);

/* Deep copy of src into *dst (which must be empty).  0 ok, -1 no memory. */
int kv_copy(struct kv *dst, const struct kv *src);

/* Free every string and the array; kv is empty (KV_INIT) afterwards. */
void kv_free(struct kv *kv);

#endif
