#include "core/kv.h"

#include <stdlib.h>
#include <string.h>

const char *kv_get(const struct kv *kv, const char *name)
{
	for (size_t i = 0; i < kv->n; i++)
		if (strcmp(kv->v[i].name, name) == 0)
			return kv->v[i].value;
	return NULL;
}

int kv_set(struct kv *kv, const char *name, const char *value)
{
	char *val = strdup(value);
	if (!val)
		return -1;
	for (size_t i = 0; i < kv->n; i++) {
		if (strcmp(kv->v[i].name, name) == 0) {
			free(kv->v[i].value);
			kv->v[i].value = val;
			return 0;
		}
	}
	if (kv->n == kv->cap) {
		size_t cap = kv->cap ? kv->cap * 2 : 8;
		struct kv_pair *v = realloc(kv->v, cap * sizeof *v);
		if (!v)
			goto fail_val;
		kv->v = v;
		kv->cap = cap;
	}
	char *nm = strdup(name);
	if (!nm)
		goto fail_val;
	kv->v[kv->n].name = nm;
	kv->v[kv->n].value = val;
	kv->n++;
	return 0;
fail_val:
	free(val);
	return -1;
}

int kv_del(struct kv *kv, const char *name)
{
	for (size_t i = 0; i < kv->n; i++) {
		if (strcmp(kv->v[i].name, name) == 0) {
			free(kv->v[i].name);
			free(kv->v[i].value);
			memmove(&kv->v[i], &kv->v[i + 1], (kv->n - i - 1) * sizeof kv->v[0]);
			kv->n--;
			return 1;
		}
	}
	return 0;
}

int kv_copy(struct kv *dst, const struct kv *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (kv_set(dst, src->v[i].name, src->v[i].value) < 0) {
			kv_free(dst);
			return -1;
		}
	}
	return 0;
}

void kv_free(struct kv *kv)
{
	for (size_t i = 0; i < kv->n; i++) {
		free(kv->v[i].name);
		free(kv->v[i].value);
	}
	free(kv->v);
	kv->v = NULL;
	kv->n = kv->cap = 0;
}
