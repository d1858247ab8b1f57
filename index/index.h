/*
 * index/index.h: record lists without decrypting the records (SPEC §10):
 * listing, sort orders, search and pages of a form's entries, for every
 * front end (the UI's lists and home screens, a district's lists by
 * commune, `cchc record` keeping them current after a save).
 *
 * Map.
 *   digest.c     what a list needs of a record (its digest) and the
 *                columns of a form's list
 *   cache.c      the store's sealed chunks of digests (store/digest.c, the
 *                one parser of their format), a few kept decrypted
 *   rows.c       rows in memory (id lookup, state, deleted), a record's
 *                change, catching up from the outbox or a rebuild
 *   order.c      the kept sort order of each column, updated on a save;
 *   order_sort.c a full sort in Vietnamese order (core/text.h collation)
 *   search.c     the fold search (core/text.h text_fold_buf) and a
 *                unit's rows
 *   list.c       a list as a front end shows it: which rows, in which
 *                order, and a page of them
 *   note.c       a save outside the index's owner (index_note_save)
 *   open.c       open, load, release, close
 *
 * A digest is what a list needs of a record, and nothing more:
 *   byte 0 format (2), byte 1 workflow state, byte 2 deleted,
 *   the period, NUL, the unit code, NUL (a district lists every commune's
 *   entries), then one value per list column, each NUL-terminated:
 *   text clipped to INDEX_CLIP bytes at a letter boundary, dates as
 *   yyyy-mm-dd, a choice as its option number (1-based, one byte).
 * A list's columns are the form's `summary` fields, then its first
 * required date and its last required choice (so the register shows
 * applicant, code, procedure, received date, state).
 *
 * Memory (SPEC §10: 100,000 entries within 16 MiB).  Only what every row
 * needs stays in memory: its state and deleted flag and its place in the
 * id order (5 bytes a row).  The digests stay sealed in the store's
 * chunks of STORE_DIGEST_CHUNK rows; a few chunks are kept decrypted
 * (INDEX_CACHE, least recently used), so a page of the list reads at most
 * a page of chunks and a search reads them all in turn.  Rows keep the
 * order they arrived in (new records append), so a save rewrites one chunk.
 *
 * Sort orders.  Sorting 100,000 names in Vietnamese order takes a quarter
 * of a second, far over a key's 10 ms, so the order of each column is
 * kept sealed with the digests once computed (a named value "oC": the seq
 * and row count it reflects, then the rows in order) and brought up to
 * date on each save by moving the rows that changed (a binary search that
 * reads a few digests).  An order that does not match the digests (a
 * rebuild, a crash between writes) is computed again on first use.
 *
 * The digests are a cache: on open they are brought up to date from the
 * outbox, or rebuilt from the records when the outbox no longer has what
 * they miss.  A save by `cchc record` updates them and the orders as a
 * save seen by index_sync does (index_note_save), reading only the chunks
 * it needs, so a node filled by the CLI opens without a rebuild; a set's
 * orders start with its first row, so such a node never needs a full sort.
 *
 * Contract.  The store must be open and logged in for every call, and
 * outlive the index; the forms too.  All int functions return 0 or a
 * STORE_E* code (store_strerror names it).  Nothing here is thread-safe.
 * The fields of struct index and struct iset are the caller's to read,
 * never to write (but `have`, see index_sync).
 */
#ifndef CCHC_INDEX_INDEX_H
#define CCHC_INDEX_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct forms;
struct form;
struct form_field;
struct store_record;

#define INDEX_COLS 6
#define INDEX_CLIP 64 /* bytes of a text column kept in a digest */
#define INDEX_DIGEST_BUF (3 + 16 + 16 + INDEX_COLS * (INDEX_CLIP + 1))
#define INDEX_CACHE 8      /* decrypted digest chunks kept (about 30 KB each) */
#define INDEX_STATE 0x7F   /* iset.flag: the workflow state ... */
#define INDEX_DELETED 0x80 /* ... and the deleted mark */

/* A form's rows, in the order they arrived (5 bytes a row in memory). */
struct iset {
	char form[64];
	const struct form *f; /* the newest version: its columns */
	const struct form_field *col[INDEX_COLS];
	size_t ncols;
	size_t n, cap;     /* rows */
	uint8_t *flag;     /* per row: INDEX_STATE | INDEX_DELETED */
	uint32_t *byid;    /* rows by ascending id */
	uint64_t stored_n; /* rows the store's chunks hold */
	uint32_t *touched; /* rows changed since the orders were written */
	size_t ntouched, captouched;
	int orders_stale; /* too many changes: orders computed again on use */
};

struct index_chunk;   /* index/index_int.h */
struct text_fold_map; /* core/text.h */

struct index {
	struct store *st;
	struct iset *sets;
	size_t nsets;
	uint64_t seq; /* outbox seq reflected ... */
	int have;     /* ... when there are digests (0: index_sync rebuilds) */
	uint64_t gen; /* bumps on every change: lists recompute */
	uint64_t tick;
	int err;                    /* store code of the last failed chunk read */
	int rebuilt;                /* the last sync rebuilt from the records */
	int sorted_now;             /* index_order had to sort (not kept yet) */
	uint64_t walked;            /* records read by a rebuild */
	int hold_dirty;             /* index_note_save: changed chunks stay until one commit */
	struct index_chunk *cache;  /* INDEX_CACHE of them */
	struct text_fold_map *fold; /* the search's fast fold (8 KiB) */
};

/* Load the digests of every form of fs and bring them up to date with the
 * outbox (or rebuild from the records).  ix is the caller's; on failure
 * too, index_close frees what was taken. */
int index_open(struct index *ix, struct store *st, const struct forms *fs);
/* Bring up to date after a save (reads the outbox entries after seq).
 * With ix->have set to 0 first: checked against the records, rebuilt when
 * records arrived without outbox entries (an import). */
int index_sync(struct index *ix, struct store *st);
void index_close(struct index *ix);
/* Give back the database pages read for digests (store_digest_release);
 * after a page of rows or anything that read many chunks. */
void index_release(struct index *ix);

/* The rows of form (NULL: a form ix does not list). */
struct iset *index_set(struct index *ix, const char *form);
/* The digest of row (*len its length, may be NULL): valid until the next
 * index_* call.  NULL on failure (ix->err says why). */
const uint8_t *index_digest(struct index *ix, struct iset *s, size_t row, size_t *len);
/* The record id of row. */
int index_row_id(struct index *ix, struct iset *s, size_t row, uint8_t id[16]);
/* Column c (0-based) of a digest as stored: text (clipped), ISO date, or a
 * choice index byte (1-based) followed by NUL; "" when empty. */
const char *index_dcol(const uint8_t *d, size_t c);
const char *index_dperiod(const uint8_t *d);
const char *index_dunit(const uint8_t *d); /* the record's unit code */

/* Every row (s->n) in the order of column c (Vietnamese order for text,
 * then by row) into out: the kept order, or sorted now and kept. */
int index_order(struct index *ix, struct iset *s, size_t c, uint32_t *out);
/* Bit r of hits (s->n bits) set when a live row's folded text columns
 * contain needle (folded already, text_fold: diacritics and case are
 * optional, precomposed and decomposed text the same). */
int index_search(struct index *ix, struct iset *s, const char *needle, uint8_t *hits);
/* Bit r of hits (s->n bits) set when a live row's unit is unit (a district
 * listing one commune's entries). */
int index_unit_hits(struct index *ix, struct iset *s, const char *unit, uint8_t *hits);

/* A list of one form's entries: the rows shown (not deleted; of unit
 * only, unless ""; hit by needle, unless "") in order sort (0 newest
 * first, c + 1 column c).  The caller sets set, sort, needle and unit and
 * calls index_list_refresh after any change (to them or to the index);
 * the rest is the list's.  A zeroed struct is an empty list. */
struct index_list {
	struct iset *set;
	int sort;
	char needle[256]; /* folded (text_fold) */
	char unit[16];
	uint32_t *order;       /* rows shown, in order ... */
	size_t norder, cap;    /* ... how many */
	size_t live;           /* rows not deleted */
	uint8_t *hits, *uhits; /* a bit per row: the search's, the unit's */
	size_t hitcap, uhitcap;
	uint64_t hits_gen, uhits_gen; /* ix->gen they are for (uhits: + 1; 0 none) */
	char hits_for[256];
};
/* One row as shown: its columns copied from the digest, and its unit. */
struct index_row {
	char col[INDEX_COLS][INDEX_CLIP + 1];
	char unit[16];
};
int index_list_refresh(struct index *ix, struct index_list *l);
/* Rows [top, top + n) of the list into rows[], *got of them (fewer at the
 * end); reads at most a page of chunks, then index_release. */
int index_list_page(struct index *ix, const struct index_list *l, size_t top, size_t n,
                    struct index_row *rows, size_t *got);
void index_list_free(struct index_list *l);

/* After a save outside the index's owner (cchc record ...): r as
 * store_record_put left it, with the store still logged in.  Updates the
 * sealed digests and kept sort orders as index_sync would, in one more
 * transaction, so the next index_open opens the list without rebuilding
 * it.  It reads the record's chunk and a few others (a binary search by
 * id; every chunk only when the rows are out of id order) and the form's
 * kept orders, whatever the node's size.  When the digests did not reflect
 * everything before this save (none yet on a node with other records, or
 * another writer's save not applied), it leaves them for the next
 * index_open to bring up to date.  On error nothing is written. */
int index_note_save(struct store *st, const struct forms *fs, const struct store_record *r);

#endif
