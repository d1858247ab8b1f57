/*
 * store/codec.c: C structures as CBOR maps (RFC 8949) over libcbor, driven
 * by field tables (struct store_field): one table per stored structure, so
 * the layout of what is on disk is data, next to the struct it mirrors.
 *
 * Keys are small unsigned integers; integers use their shortest encoding.
 * Decoding is strict about types and sizes (a sealed value that opens but
 * has a bad shape is STORE_EDAMAGED) and skips keys it does not know.
 */
#include <cbor.h>
#include <stdlib.h>
#include <string.h>

#include "core/kv.h"
#include "store/store_int.h"

static cbor_item_t *build_uint(uint64_t v)
{
	if (v <= UINT8_MAX)
		return cbor_build_uint8((uint8_t)v);
	if (v <= UINT16_MAX)
		return cbor_build_uint16((uint16_t)v);
	if (v <= UINT32_MAX)
		return cbor_build_uint32((uint32_t)v);
	return cbor_build_uint64(v);
}

static cbor_item_t *build_int(int64_t v)
{
	if (v >= 0)
		return build_uint((uint64_t)v);
	uint64_t n = (uint64_t)(-(v + 1)); /* CBOR stores -1 - v */
	if (n <= UINT8_MAX)
		return cbor_build_negint8((uint8_t)n);
	if (n <= UINT16_MAX)
		return cbor_build_negint16((uint16_t)n);
	if (n <= UINT32_MAX)
		return cbor_build_negint32((uint32_t)n);
	return cbor_build_negint64(n);
}

/* Adds k -> v and drops the builder's references (both may be NULL on OOM). */
static int map_put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v)
{
	int ok = k && v && cbor_map_add(map, (struct cbor_pair){.key = k, .value = v});
	if (k)
		cbor_decref(&k);
	if (v)
		cbor_decref(&v);
	return ok ? STORE_OK : STORE_ENOMEM;
}

static cbor_item_t *build_kv(const struct kv *kv)
{
	cbor_item_t *m = cbor_new_definite_map(kv->n);
	if (!m)
		return NULL;
	for (size_t i = 0; i < kv->n; i++) {
		const struct kv_pair *p = &kv->v[i];
		if (map_put(m, cbor_build_stringn(p->name, strlen(p->name)),
			    cbor_build_stringn(p->value, strlen(p->value))) != 0) {
			cbor_decref(&m);
			return NULL;
		}
	}
	return m;
}

static cbor_item_t *build_field(const struct store_field *f, const void *obj)
{
	const char *p = (const char *)obj + f->off;
	switch (f->kind) {
	case SK_U32:
		return build_uint(*(const uint32_t *)(const void *)p);
	case SK_INT:
		return build_int(*(const int *)(const void *)p);
	case SK_I64:
		return build_int(*(const int64_t *)(const void *)p);
	case SK_U64:
		return build_uint(*(const uint64_t *)(const void *)p);
	case SK_TEXT:
		return cbor_build_stringn(p, strnlen(p, f->size));
	case SK_BYTES:
		return cbor_build_bytestring((cbor_data)p, f->size);
	case SK_VBYTES:
		return cbor_build_bytestring((cbor_data)p,
					     *(const size_t *)(const void *)((const char *)obj +
									     f->lenoff));
	case SK_KV:
		return build_kv((const struct kv *)(const void *)p);
	}
	return NULL;
}

int store_encode(const struct store_field *f, size_t nf, const void *obj, uint8_t **buf,
		 size_t *len)
{
	cbor_item_t *m = cbor_new_definite_map(nf);
	int rc = STORE_ENOMEM;
	if (!m)
		return STORE_ENOMEM;
	for (size_t i = 0; i < nf; i++)
		if ((rc = map_put(m, build_uint(f[i].key), build_field(&f[i], obj))) != 0)
			goto free_map;
	size_t cap = 0;
	unsigned char *out = NULL;
	size_t n = cbor_serialize_alloc(m, &out, &cap);
	if (!n) {
		free(out);
		rc = STORE_ENOMEM;
		goto free_map;
	}
	*buf = out;
	*len = n;
	rc = STORE_OK;
free_map:
	cbor_decref(&m);
	return rc;
}

static int get_int(const cbor_item_t *it, int64_t lo, int64_t hi, int64_t *out)
{
	uint64_t u;
	int64_t v;
	if (cbor_isa_uint(it)) {
		u = cbor_get_int(it);
		if (u > (uint64_t)INT64_MAX)
			return STORE_EDAMAGED;
		v = (int64_t)u;
	} else if (cbor_isa_negint(it)) {
		u = cbor_get_int(it);
		if (u > (uint64_t)INT64_MAX)
			return STORE_EDAMAGED;
		v = -1 - (int64_t)u;
	} else {
		return STORE_EDAMAGED;
	}
	if (v < lo || v > hi)
		return STORE_EDAMAGED;
	*out = v;
	return STORE_OK;
}

static int get_text(const cbor_item_t *it, const char **s, size_t *n)
{
	if (!cbor_isa_string(it) || !cbor_string_is_definite(it))
		return STORE_EDAMAGED;
	*s = (const char *)cbor_string_handle(it);
	*n = cbor_string_length(it);
	if (*n && memchr(*s, '\0', *n))
		return STORE_EDAMAGED;
	return STORE_OK;
}

static int decode_kv(const cbor_item_t *it, struct kv *kv)
{
	if (!cbor_isa_map(it) || !cbor_map_is_definite(it))
		return STORE_EDAMAGED;
	struct cbor_pair *pairs = cbor_map_handle(it);
	for (size_t i = 0; i < cbor_map_size(it); i++) {
		const char *ks, *vs;
		size_t kn, vn;
		if (get_text(pairs[i].key, &ks, &kn) || get_text(pairs[i].value, &vs, &vn))
			return STORE_EDAMAGED;
		char *name = strndup(ks ? ks : "", kn), *value = strndup(vs ? vs : "", vn);
		int rc = name && value && kv_set(kv, name, value) == 0 ? STORE_OK : STORE_ENOMEM;
		free(name);
		free(value);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static int decode_field(const struct store_field *f, const cbor_item_t *it, void *obj)
{
	char *p = (char *)obj + f->off;
	int64_t v;
	int rc;
	switch (f->kind) {
	case SK_U32:
		if ((rc = get_int(it, 0, UINT32_MAX, &v)) == 0)
			*(uint32_t *)(void *)p = (uint32_t)v;
		return rc;
	case SK_INT:
		if ((rc = get_int(it, INT32_MIN, INT32_MAX, &v)) == 0)
			*(int *)(void *)p = (int)v;
		return rc;
	case SK_I64:
		return get_int(it, INT64_MIN, INT64_MAX, (int64_t *)(void *)p);
	case SK_U64:
		if (!cbor_isa_uint(it))
			return STORE_EDAMAGED;
		*(uint64_t *)(void *)p = cbor_get_int(it);
		return STORE_OK;
	case SK_TEXT: {
		const char *s;
		size_t n;
		if (get_text(it, &s, &n) || n >= f->size)
			return STORE_EDAMAGED;
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
		return STORE_OK;
	}
	case SK_BYTES:
	case SK_VBYTES: {
		if (!cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it))
			return STORE_EDAMAGED;
		size_t n = cbor_bytestring_length(it);
		if (f->kind == SK_BYTES ? n != f->size : n > f->size)
			return STORE_EDAMAGED;
		if (n)
			memcpy(p, cbor_bytestring_handle(it), n);
		if (f->kind == SK_VBYTES)
			*(size_t *)(void *)((char *)obj + f->lenoff) = n;
		return STORE_OK;
	}
	case SK_KV:
		return decode_kv(it, (struct kv *)(void *)p);
	}
	return STORE_EDAMAGED;
}

/* The item heads alone, before libcbor builds anything: libcbor allocates
 * a declared array or map size up front, so a changed byte in a value in
 * clear (a key slot) or one sealed by someone else (an audit entry, sealed
 * to a public key) could ask for gigabytes.  Every item takes at least one
 * byte, so the items still due can never outnumber the bytes left.
 * Indefinite lengths are refused (the store writes none). */
static int shape_ok(const uint8_t *p, size_t len)
{
	uint64_t due = 1;
	size_t i = 0;
	while (due) {
		if (i >= len || due > len - i)
			return 0;
		unsigned major = p[i] >> 5, ai = p[i] & 31u;
		uint64_t arg = ai;
		i++;
		if (ai >= 24) {
			if (ai > 27)
				return 0; /* reserved, or an indefinite length */
			size_t nb = (size_t)1 << (ai - 24);
			if (nb > len - i)
				return 0;
			arg = 0;
			for (size_t k = 0; k < nb; k++)
				arg = arg << 8 | p[i + k];
			i += nb;
		}
		switch (major) {
		case 2:
		case 3:
			if (arg > len - i)
				return 0;
			i += (size_t)arg;
			due--;
			break;
		case 4:
			if (arg > len - i)
				return 0;
			due += arg - 1;
			break;
		case 5:
			if (arg > (len - i) / 2)
				return 0;
			due += 2 * arg - 1;
			break;
		case 6:
			break; /* a tag: the tagged item follows */
		default:
			due--; /* integers, simple values, floats (their bytes skipped above) */
		}
	}
	return 1;
}

int store_decode(const struct store_field *f, size_t nf, const uint8_t *buf, size_t len,
		 void *obj)
{
	struct cbor_load_result res;
	if (!shape_ok(buf, len))
		return STORE_EDAMAGED;
	cbor_item_t *m = cbor_load(buf, len, &res);
	int rc = STORE_EDAMAGED;
	/* Past shape_ok, libcbor runs out of memory only on nesting deeper
	 * than its stack: hostile input too, not a lack of memory. */
	if (!m)
		return STORE_EDAMAGED;
	if (res.read != len || !cbor_isa_map(m) || !cbor_map_is_definite(m))
		goto free_map;
	struct cbor_pair *pairs = cbor_map_handle(m);
	for (size_t i = 0; i < cbor_map_size(m); i++) {
		int64_t key;
		if (get_int(pairs[i].key, 0, 255, &key)) {
			rc = STORE_EDAMAGED;
			goto free_map;
		}
		for (size_t j = 0; j < nf; j++) {
			if (f[j].key != key)
				continue;
			if ((rc = decode_field(&f[j], pairs[i].value, obj)) != 0)
				goto free_map;
			break;
		}
	}
	rc = STORE_OK;
free_map:
	cbor_decref(&m);
	return rc;
}
