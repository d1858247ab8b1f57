/*
 * sync/sync_int.h: what the files of sync/ share; only they (and the sync
 * tests and fuzzers) include it.
 */
#ifndef CCHC_SYNC_SYNC_INT_H
#define CCHC_SYNC_SYNC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sync/sync.h"

/* ---- batch layout (README "Batch format") */
#define SX_MAGIC "CCHC-BAT"
#define SX_VERSION 1
#define SX_SUITE 1
#define SX_HEADER 96
#define SX_STANZA 92
#define SX_SEALED_KEY 80 /* crypto_box_seal of a 32-byte file key */
#define SX_STREAM_HEADER 24
#define SX_CHUNK 65536
#define SX_CHUNK_OVERHEAD 17
#define SX_SIG 64
#define SX_AD (SX_HEADER + SX_STANZA) /* the clear bytes the payload is bound to */
#define SX_FLAGS 0x05 /* bit 0 zstd, bit 2 padded: the only combination of suite 1 */
#define SX_PAD_BLOCK 512

/* Context strings (16 bytes each): a signature of one kind of object can
 * never pass as another. */
#define SX_CTX_BATCH "CCHC-BATCH-SIG01"
#define SX_CTX_RECEIPT "CCHC-RECEIPT-V01"
#define SX_CTX_RCVCERT "CCHC-RCVCERT-V01"
#define SX_CTX_COMMUNES "CCHC-COMMUNES-01"
#define SX_CTX_DISTMSG "CCHC-DISTMSG-V01"

uint64_t sx_be64(const uint8_t *b);
void sx_put_be64(uint8_t *b, uint64_t v);
uint32_t sx_be32(const uint8_t *b);
void sx_put_be32(uint8_t *b, uint32_t v);
uint16_t sx_be16(const uint8_t *b);
void sx_put_be16(uint8_t *b, uint16_t v);

/* ---- seal.c (libsodium) */
/* key_id = BLAKE2b-256(pk)[0..8]. */
void sx_key_id(const uint8_t pk[32], uint8_t id[8]);
/* Ed25519 over ctx (16 bytes) || BLAKE2b-512(msg). */
void sx_sign(const char *ctx, const uint8_t *msg, size_t len, const uint8_t sk[64],
	     uint8_t sig[64]);
int sx_verify(const char *ctx, const uint8_t *msg, size_t len, const uint8_t pk[32],
	      const uint8_t sig[64]);
/* A fresh file key (in *key, secret_alloc'd, 32 bytes) sealed to box_pk. */
int sx_filekey_new(const uint8_t box_pk[32], uint8_t **key, uint8_t sealed[SX_SEALED_KEY]);
int sx_filekey_open(const uint8_t sealed[SX_SEALED_KEY], const uint8_t box_pk[32],
		    const uint8_t box_sk[32], uint8_t **key);
/* Bytes of ciphertext (stream header + chunks) for plen bytes of plaintext
 * after padding. */
uint64_t sx_stream_len(size_t plen);
/* Pad plain to SX_PAD_BLOCK and encrypt it in SX_CHUNK chunks, each with ad;
 * the last tagged FINAL.  out must hold sx_stream_len(plen) bytes. */
int sx_stream_encrypt(const uint8_t *key, const uint8_t *ad, size_t adlen, const uint8_t *plain,
		      size_t plen, uint8_t *out);
/* The reverse: every chunk must open with ad, FINAL exactly at the end,
 * padding intact.  *plain malloc'd. */
int sx_stream_decrypt(const uint8_t *key, const uint8_t *ad, size_t adlen, const uint8_t *ct,
		      size_t ctlen, uint8_t **plain, size_t *plen);
/* Wipe and free a key from sx_filekey_*. */
void sx_key_free(uint8_t *key);
/* crypto_box_seal to the X25519 form of an Ed25519 public key; out holds
 * plen + SX_BOX_OVERHEAD bytes.  The reverse with the Ed25519 secret key
 * (64 bytes): SYNC_EDECRYPT when it does not open. */
#define SX_BOX_OVERHEAD 48
int sx_box_to_sign_pk(const uint8_t sign_pk[32], const uint8_t *plain, size_t plen, uint8_t *out);
int sx_box_open_sign_sk(const uint8_t sign_sk[64], const uint8_t *ct, size_t clen,
			uint8_t *plain);

/* ---- payload.c: a CBOR sequence (manifest map, then n record maps),
 * zstd-compressed. */
struct sx_manifest {
	char commune[SYNC_CODE_BUF], district[SYNC_CODE_BUF];
	uint64_t epoch, batch_no, seq_from, seq_to, count;
	uint8_t prev_id[SYNC_ID_BYTES];
};
int sx_payload_encode(const struct sx_manifest *m, const struct store_record *recs, size_t n,
		      uint8_t **out, size_t *outlen);
/* Decompress (bounded by SYNC_PLAIN_MAX) and parse. */
int sx_payload_decode(const uint8_t *z, size_t zlen, struct sx_manifest *m,
		      struct store_record **recs, size_t *n);
/* The length of the definite-length CBOR item at p (depth-limited). */
int sx_cbor_item_len(const uint8_t *p, size_t n, size_t *len);

/* ---- files.c */
/* Write buf to path durably: temp file in the same directory, fsync,
 * rename, fsync the directory.  mode for the new file. */
int sx_write_durable(const char *path, const void *buf, size_t len, int mode);
/* Read a whole file of at most max bytes: SYNC_ETOOBIG over it. *buf malloc'd. */
int sx_read_file(const char *path, size_t max, uint8_t **buf, size_t *len);
int sx_fsync_dir(const char *dir);
int sx_mkdir(const char *path); /* 0700, fine when it exists */
/* flock a file under dir (created 0600); nonblock: SYNC_EBUSY when held. */
int sx_lock(const char *path, int nonblock, int *fd);
void sx_unlock(int fd);
void sx_hex(const uint8_t *b, size_t n, char *out);
int sx_unhex(const char *s, uint8_t *b, size_t n);

/* The commune's sending state: home/outbox/state, text, BLAKE2b-checked. */
enum sx_bstate { SX_SEALED = 0, SX_STORED = 1, SX_IMPORTED = 2, SX_REFUSED = 3 };
struct sx_entry {
	uint64_t epoch, batch_no;
	uint8_t id[SYNC_ID_BYTES];
	int state;        /* enum sx_bstate */
	unsigned attempts;
	int64_t receipt_at;
	int http;         /* last refusal status */
};
struct sx_state {
	char commune[SYNC_CODE_BUF];
	uint64_t epoch, next_batch, last_seq;
	int64_t last_receipt_at;
	int last_receipt_status;
	struct sx_entry *e;
	size_t n, cap;
};
/* A missing file is an empty state (epoch 0). */
int sx_state_read(const char *home, struct sx_state *st);
int sx_state_write(const char *home, const struct sx_state *st);
void sx_state_free(struct sx_state *st);
struct sx_entry *sx_state_find(struct sx_state *st, const uint8_t id[SYNC_ID_BYTES]);
int sx_state_add(struct sx_state *st, const struct sx_entry *e);
/* home/outbox/<epoch>-<batch_no>.ccb */
void sx_batch_path(const char *home, uint64_t epoch, uint64_t batch_no, char *buf, size_t cap);
void sx_path(const char *home, const char *rel, char *buf, size_t cap);
/* Apply one verified receipt to the state; 1 if it matched a batch. */
int sx_state_take_receipt(const char *home, struct sx_state *st, const struct sync_receipt *r);

/* ---- mail.c: what comes back from the district, a stream of receipts
 * (256 bytes) and messages (README "Messages from the district") */
#define SX_MSG_MAGIC "CCHC-MSG"
#define SX_MSG_HEAD 112
/* The length of the item at p (a receipt or a message, by its magic and
 * length field only, no crypto): SYNC_EFORMAT when neither or truncated.
 * *is_msg (may be NULL) 1 for a message. */
int sx_item_len(const uint8_t *p, size_t n, size_t *len, int *is_msg);
/* Take a stream from the district (a receipts file, a fetch answer): every
 * item is verified first (any bad one: its error, nothing changed); then
 * receipts go to the sending state and messages for this commune to the
 * pending file outbox/mail, each once.  Takes outbox/lock. */
int sx_mail_take(const struct sync_node *node, const uint8_t district_pk[32],
		 const uint8_t *buf, size_t len, size_t *taken, size_t *ignored);
/* Frame and sign a message whose body (blen bytes) is already at
 * out + SX_MSG_HEAD; out holds SX_MSG_HEAD + blen + 64 bytes. */
int sx_msg_frame(int kind, const char *district, const char *commune, const uint8_t id[16],
		 int64_t time, const uint8_t district_sk[64], uint8_t *out, size_t blen);
/* datafile.c, from the session: install an opened data file under
 * home/data/ (see datafile.c); *installed 0 when the same or an older one
 * is there.  SYNC_EFORMAT when it fails its checks or would replace a form
 * version. */
int sx_file_install(const char *home, const struct sync_file *f, int *installed);
/* The opened content of a return (README layout) whose message id is
 * msg_id: SYNC_EFORMAT when malformed or about another report. */
int sx_return_parse(const uint8_t *plain, size_t plen, const uint8_t msg_id[16],
		    struct sync_return *r);
/* Append an item (a receipt or a message) to home/receipts/<commune>.ccr,
 * durably, unless the same one is there (a receipt: the same batch id and
 * status; a message: the same kind and id): *added 0 then. */
int sx_ccr_append(const char *home, const char *commune, const uint8_t *item, size_t len,
		  int *added);
/* The receiver's answer to GET /v1/receipts: whole items of
 * home/receipts/<commune>.ccr from byte offset after (from 0 when after is
 * not an item boundary in the file), at most max bytes (at least one item);
 * *from where they start, *more 1 when items remain.  *out malloc'd (NULL
 * when there is nothing). */
int sx_ccr_slice(const char *home, const char *commune, uint64_t after, size_t max,
		 uint8_t **out, size_t *len, uint64_t *from, int *more);
/* mailbox.c, from sync_session (outbox/lock held, logged in): apply and then
 * empty outbox/mail (see sync_session).  *store_err for SYNC_ESTORE. */
int sx_mail_apply(struct store *s, const struct sync_node *node, size_t *returned,
		  int *store_err);

/* ---- fork.c: one lineage, two histories (a copied or restored node) */
/* The copies of h's (commune, epoch, batch_no) kept in home/conflicts/:
 * *n how many (0: the number is not in conflict), *has 1 when one of them
 * is the batch id. */
int sx_conflicts_find(const char *home, const struct sync_header *h, const uint8_t id[32],
		      size_t *n, int *has);
/* The commune's restore mark, kept outside its node directory: the next
 * batch number it committed in epoch (*next 0: none known).  SYNC_EIO when
 * there is nowhere to keep it (no HOME): the check is then skipped. */
int sx_mark_read(const char *home, uint64_t epoch, uint64_t *next);
int sx_mark_write(const char *home, uint64_t epoch, uint64_t next);

#endif
