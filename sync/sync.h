/*
 * sync/sync.h: sealed batches from commune to district (SPEC §6), by HTTP
 * or by USB stick, and the receipts that come back.
 *
 * Map.
 *   batch.c    the batch file: fixed header, key stanza, chunked payload,
 *              signature trailer (layout in README "Batch format"); build,
 *              check the public parts, open
 *   payload.c  the plaintext inside: a CBOR sequence (manifest, records),
 *              zstd-compressed, bounded on the way back
 *   seal.c     the only file with <sodium.h>: file keys, secretstream,
 *              padding, Ed25519 over BLAKE2b-512 with context strings
 *   receipt.c  district-signed receipts (stored by the receiver, imported
 *              by the district)
 *   mail.c     district-signed messages to one commune (a return for
 *              correction, sealed to the commune; a data file), carried
 *              with the receipts; the commune's pending messages
 *   fetch.c    commune: fetch what the district has for it (receipts and
 *              messages) from the receiver, with libcurl
 *   keys.c     the receiver key file and the signed list of enrolled communes
 *   files.c    durable files (temp, fsync, rename, fsync dir), locks, and the
 *              commune's sending-state file (checked against damage)
 *   outbox.c   commune: seal what the store's outbox holds, in a logged-in
 *              session; mark reports sent and received
 *   push.c     commune: send sealed batches with libcurl (no secret needed)
 *   serve.c    district: the receiver over libmicrohttpd (no data key needed)
 *   import.c   district: verify, decrypt and apply batches to the store
 *   spool.c    district: list what the spool holds and what import set aside
 *   fork.c     one lineage, two histories (a copied or restored node): the
 *              district's conflicts/ and the commune's restore mark
 *
 * Who holds what.  A commune seals with its node signing key and the
 * district's X25519 key, inside a logged-in session (sync_session); the
 * sealed files, their sending state and the receipts need no secret, so
 * `sync push` runs unattended.  The receiver holds only public keys plus its
 * own receipt key (certified by the district signing key); only `import`,
 * run by a logged-in district user, can decrypt.
 *
 * Contracts.  Functions return 0 or a negative SYNC_E* code (sync_strerror);
 * out-parameters come last; what they hand out is the caller's (free with
 * the matching *_free).  No global mutable state: the receiver keeps its
 * state in struct sync_server.  Call secret_init() first.
 */
#ifndef CCHC_SYNC_SYNC_H
#define CCHC_SYNC_SYNC_H

#include "core/msg.h"
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

enum {
	SYNC_OK = 0,
	SYNC_EFORMAT = -1,    /* not a batch or receipt, truncated, a bad field */
	SYNC_ESIG = -2,       /* signature does not verify with the signer's key */
	SYNC_EUNKNOWN = -3,   /* the commune is not enrolled */
	SYNC_EREVOKED = -4,   /* the commune's key was revoked */
	SYNC_EOTHERKEY = -5,  /* sealed to another district's key */
	SYNC_EDECRYPT = -6,   /* the payload does not open: altered, or re-signed */
	SYNC_ETOOBIG = -7,    /* over a size limit */
	SYNC_ECONFLICT = -8,  /* another batch under the same sequence number */
	SYNC_ENOMEM = -9,
	SYNC_EIO = -10,       /* a file could not be read or written */
	SYNC_ENET = -11,      /* the server cannot be reached */
	SYNC_ETEMP = -12,     /* the link stalled or the server is busy: try later */
	SYNC_EBUSY = -13,     /* another sync runs on this node */
	SYNC_ESTORE = -14,    /* the store failed (see the store code given) */
	SYNC_EKEY = -15,      /* a key file or the communes list is missing or damaged */
	SYNC_EREFUSED = -16,  /* the server refused the batch (400/403/409/413) */
	SYNC_EDAMAGED = -17,  /* the sending-state file is damaged */
};
const char *sync_strerror(int err);
/* The reason for people (core/msg.h: msg_get(lang, sync_reason(err))). */
enum msg_id sync_reason(int err);

#define SYNC_ID_BYTES 32     /* batch id: BLAKE2b-256 of the whole file */
#define SYNC_CODE_BUF 17     /* unit codes in headers: up to 16 bytes + NUL */
#define SYNC_BATCH_MAX (4u << 20)  /* largest batch file accepted */
#define SYNC_PLAIN_MAX (16u << 20) /* largest decompressed payload */
#define SYNC_BATCH_RECORDS 1000    /* records per batch when sealing */
#define SYNC_RECEIPT_BYTES 256

/* ---- batches */

/* The clear header (first 96 bytes + the stanza's key id). */
struct sync_header {
	uint16_t version, suite;
	char commune[SYNC_CODE_BUF];  /* sender's unit code */
	char district[SYNC_CODE_BUF]; /* recipient district's unit code */
	uint8_t signer_key_id[8];
	uint64_t epoch;    /* random per lineage; a restored node starts a new one */
	uint64_t batch_no; /* 1, 2, ... within (commune, epoch) */
	int64_t created;   /* commune clock, informational */
	uint64_t payload_len;
	uint8_t recipient_key_id[8];
};

/* What a commune puts in a batch besides the records. */
struct sync_batch_info {
	const char *commune, *district;
	uint64_t epoch, batch_no;
	int64_t created;
	uint8_t prev_id[SYNC_ID_BYTES]; /* previous batch of the lineage (zero for 1) */
	uint64_t seq_from, seq_to;      /* outbox range it covers */
};

/* Seal records into a batch file.  sign_sk: the commune's Ed25519 key (64
 * bytes); box_pk: the district's X25519 key.  *out is malloc'd. */
int sync_batch_build(const struct sync_batch_info *info, const struct store_record *recs,
		     size_t n, const uint8_t sign_sk[64], const uint8_t box_pk[32], uint8_t **out,
		     size_t *outlen, uint8_t id[SYNC_ID_BYTES]);

/* Read the fixed header only, with every length check (no crypto). */
int sync_batch_header(const uint8_t *buf, size_t len, struct sync_header *h);

/* Header + signature with the given public key (the enrolled commune's key,
 * never one carried by the batch): SYNC_ESIG when the key id or the
 * signature does not match.  id (may be NULL) gets the batch id. */
int sync_batch_verify(const uint8_t *buf, size_t len, const uint8_t sign_pk[32],
		      struct sync_header *h, uint8_t id[SYNC_ID_BYTES]);

/* An opened batch. */
struct sync_batch {
	struct sync_header h;
	uint8_t id[SYNC_ID_BYTES];
	uint8_t prev_id[SYNC_ID_BYTES];
	uint64_t seq_from, seq_to;
	size_t n;
	struct store_record *recs;
};
/* Verify with sign_pk, then decrypt with the district's box key pair,
 * decompress (bounded), parse; the manifest must repeat the header's ids.
 * SYNC_EOTHERKEY when sealed to another key.  *out: sync_batch_free. */
int sync_batch_open(const uint8_t *buf, size_t len, const uint8_t sign_pk[32],
		    const uint8_t box_pk[32], const uint8_t box_sk[32], struct sync_batch **out);
void sync_batch_free(struct sync_batch *b);

/* ---- receipts: 256 bytes, signed by the district (layout in README). */
enum sync_receipt_status { SYNC_RCPT_STORED = 1, SYNC_RCPT_DUPLICATE = 2, SYNC_RCPT_IMPORTED = 5 };
struct sync_receipt {
	int status;
	uint8_t batch_id[SYNC_ID_BYTES];
	char commune[SYNC_CODE_BUF];
	uint64_t epoch, batch_no;
	int64_t time;
};
/* The receiver's key: an Ed25519 key pair and the district's signature of
 * its public half ("certificate"). */
struct sync_receiver_key {
	uint8_t sk[64], pk[32], cert[64];
};
/* Sign with the receiver key (cert set) or, when rk is NULL, with the
 * district signing key district_sk (64 bytes). */
int sync_receipt_sign(const struct sync_receipt *r, const struct sync_receiver_key *rk,
		      const uint8_t *district_sk, uint8_t out[SYNC_RECEIPT_BYTES]);
/* Verify against the district signing key (directly or through the
 * receiver's certificate): SYNC_ESIG or SYNC_EFORMAT. */
int sync_receipt_verify(const uint8_t in[SYNC_RECEIPT_BYTES], const uint8_t district_pk[32],
			struct sync_receipt *out);

/* ---- messages from the district (mail.c; layout in README "Messages from
 * the district").  They travel in the same stream as the receipts: the
 * district's home/receipts/<commune>.ccr, carried by USB or fetched from
 * the receiver (GET /v1/receipts).  Each is signed by the district signing
 * key; a return's content is sealed to the commune (the X25519 form of its
 * enrolled signing key), so the receiver, which anyone may ask, hands out
 * nothing readable about a report. */
enum sync_msg_kind { SYNC_MSG_RETURN = 1, SYNC_MSG_FILE = 2 };
#define SYNC_REASON_MAX 1000      /* bytes of a return's reason */
#define SYNC_MSG_BODY_MAX (1u << 20)
struct sync_msg {
	int kind;
	char commune[SYNC_CODE_BUF], district[SYNC_CODE_BUF];
	uint8_t id[16];       /* a return: BLAKE2b of (record id, revision) */
	int64_t time;
	const uint8_t *body;  /* borrowed from the buffer verified */
	size_t body_len;
};
/* Verify the message that is exactly buf[0, len): SYNC_EFORMAT (a bad
 * field, another length) or SYNC_ESIG (not signed by district_pk). */
int sync_msg_verify(const uint8_t *buf, size_t len, const uint8_t district_pk[32],
		    struct sync_msg *out);

/* A return for correction, as the commune reads it. */
struct sync_return {
	uint8_t record[STORE_ID_BYTES];
	uint32_t revision;        /* the revision returned */
	int64_t at;               /* when the district returned it */
	char by[STORE_NAME_MAX];  /* the district user */
	char reason[SYNC_REASON_MAX + 1]; /* UTF-8, NFC */
};
/* 1 when s[0..n) may be a reason: 1..SYNC_REASON_MAX bytes of UTF-8 with
 * no unsafe code point (text_cp_unsafe) but new lines. */
int sync_reason_ok(const char *s, size_t n);
/* District: the signed message for r (its reason 1..SYNC_REASON_MAX bytes
 * of valid UTF-8), sealed to commune_pk (the commune's enrolled Ed25519
 * key).  *out malloc'd. */
int sync_return_seal(const char *district, const char *commune, const uint8_t commune_pk[32],
		     const uint8_t district_sk[64], const struct sync_return *r, uint8_t **out,
		     size_t *outlen);
/* Commune: open a verified return message with the node's signing secret
 * key (64 bytes): SYNC_EDECRYPT when it does not open (sealed to another
 * commune), SYNC_EFORMAT when what it holds is malformed. */
int sync_return_open(const struct sync_msg *m, const uint8_t sign_sk[64], struct sync_return *out);
/* A data file from the district (datafile.c; README "Data files from the
 * district"): a year's periods or targets, a form version, a unit list. */
enum sync_file_kind { SYNC_FILE_FORM = 1, SYNC_FILE_PERIODS = 2, SYNC_FILE_TARGETS = 3,
		      SYNC_FILE_UNITS = 4 };
struct sync_file {
	int kind;
	char name[65];
	const uint8_t *data; /* borrowed from the message */
	size_t len;
	int64_t time;
};
/* The kind of a file by its name's extension (0: none of them), and the
 * directory under home/data/ it installs into. */
int sync_file_kind(const char *name);
const char *sync_file_dir(int kind);
/* District: the signed message carrying file name (a base name of
 * [a-z0-9._-] with its kind's extension) with its content (UTF-8). */
int sync_file_seal(const char *district, const char *commune, const char *name,
		   const uint8_t *data, size_t len, int64_t time, const uint8_t district_sk[64],
		   uint8_t **out, size_t *outlen);
/* Commune: the file in a verified kind-2 message: SYNC_EFORMAT if malformed. */
int sync_file_open(const struct sync_msg *m, struct sync_file *f);
/* What the district's files changed at this commune (home/data/changes),
 * the last cap (<= 16) of them, oldest first. */
struct sync_file_change {
	int64_t time;
	int kind;
	char name[65];
};
int sync_file_changes(const char *home, struct sync_file_change *out, size_t cap, size_t *n);

/* District, logged in (the caller checks the role): return report r (a
 * commune's report received in a batch, at its latest revision
 * r->revision) for correction, with reason (NFC, sync_reason_ok):
 * store_return_put (audited), then the signed message sealed to the
 * commune appended to home/receipts/<commune>.ccr.  Safe to repeat: when
 * that revision was returned already, *again is 1, *out the first return,
 * and only a missing message is written.  SYNC_EFORMAT: a bad reason;
 * SYNC_EUNKNOWN: r is not a received commune report; SYNC_EKEY /
 * SYNC_EREVOKED: the commune is not enrolled / revoked; SYNC_ESTORE with
 * *store_err; SYNC_EIO: the message could not be written (run again). */
int sync_return_report(struct store *s, const char *home, const char *district,
		       const struct store_record *r, const char *reason, struct store_return *out,
		       int *again, int *store_err);

/* District: append a message to home/receipts/<commune>.ccr (durably)
 * unless one with the same id is there: *added 0 then. */
int sync_mail_post(const char *home, const char *commune, const uint8_t *msg, size_t len,
		   int *added);

/* ---- keys (keys.c) */
/* Make keys/receiver.key (0600) under home, certified with the district
 * signing key; an existing one is kept. */
int sync_receiver_key_make(const char *home, const uint8_t district_sk[64]);
/* Load it; its certificate must verify with district_pk. */
int sync_receiver_key_load(const char *home, const uint8_t district_pk[32],
			   struct sync_receiver_key *out);

/* The signed list of enrolled communes, home/communes.list, written by the
 * district's enroll/revoke (logged in) and read by the receiver and import
 * with the district's public key only. */
struct sync_commune {
	char code[SYNC_CODE_BUF];
	uint8_t sign_pk[32];
	int64_t enrolled_at, revoked_at; /* revoked_at 0: active */
};
int sync_communes_write(const char *home, const char *district,
			const struct sync_commune *list, size_t n, const uint8_t district_sk[64]);
/* *list is malloc'd.  SYNC_EKEY when missing, damaged or badly signed. */
int sync_communes_read(const char *home, const uint8_t district_pk[32],
		       struct sync_commune **list, size_t *n);

/* ---- commune side */

/* What the commune node is (from node.conf, read by the caller). */
struct sync_node {
	const char *home;     /* node directory; batches go to home/outbox/ */
	const char *unit;     /* this commune's code */
	const char *district; /* its district's code */
};

/* Inside a logged-in session on a commune node (after record saves, on
 * leaving the UI): apply the district's pending messages (outbox/mail): a
 * return sets the report, at the revision it names and in state Đã duyệt /
 * Đã gửi / Đã tiếp nhận, to Bị trả lại with the reason (one save, action
 * "returned"); one for an older revision (reopened since), a report
 * already returned or unknown here changes nothing, so a message taken
 * twice or late is harmless; then take the receipts that came back and mark the reports
 * they cover Đã gửi (a receiver stored the batch) or Đã tiếp nhận (the
 * district imported it); seal what the outbox holds since the last batch
 * (approved reports and register entries, the latest state of each) into
 * batch files under home/outbox/ (the reports stay Đã duyệt – chờ gửi until
 * a receipt says otherwise).  Fast when
 * nothing waits.  Another process changing the sending state (a push
 * recording a receipt) holds outbox/lock for a moment; this waits for it.
 * A killed session loses nothing (see outbox.c).  *sealed (may be
 * NULL) counts the batches made.  store_err (may be NULL) gets a store code
 * for SYNC_ESTORE. */
int sync_session(struct store *s, const struct sync_node *node, size_t *sealed, int *store_err);
/* Whether outbox/mail holds messages not yet applied (no secret needed):
 * the next sync_session applies them (see sync_session). */
int sync_mail_pending(const struct sync_node *node);
/* The file `cchc restore` leaves in a restored node: the next sync_session
 * starts a new lineage (epoch) there, as after a restore in place, even on
 * a PC that holds no restore mark, and then removes it. */
#define SYNC_RESTORED_NOTE "restored"

/* The sending state, readable with no secret. */
struct sync_status {
	uint64_t changes_waiting;  /* outbox saves not yet looked at by a seal */
	size_t batches_waiting;    /* sealed, no receipt yet */
	size_t batches_stored;     /* receipt: stored at the district, not imported yet */
	size_t batches_imported;
	size_t batches_refused;    /* the server refused them (see the log) */
	int64_t last_receipt_at;   /* 0: none */
	int last_receipt_status;
};
/* outbox_last: store_outbox_last() of the node (readable without login). */
int sync_status_read(const struct sync_node *node, uint64_t outbox_last, struct sync_status *st);

/* Progress and results of push/export/receipts, one call per batch. */
struct sync_event {
	const char *what;   /* "sent", "duplicate", "refused", "exported", "receipt", ... */
	uint64_t epoch, batch_no;
	size_t done, total; /* batches */
	int http;           /* HTTP status, 0 if none */
	int err;            /* SYNC_E* for failures */
};
typedef void (*sync_event_fn)(void *ctx, const struct sync_event *ev);

struct sync_push_opts {
	const char *url;          /* receiver base URL, "http://127.0.0.1:8750" */
	long stall_seconds;       /* give up when under 100 B/s this long (0: 60) */
	long connect_seconds;     /* 0: 30 */
	int retries;              /* extra tries per batch after a network failure */
	sync_event_fn event;
	void *ctx;
};
/* Send every sealed batch without a receipt, oldest first; needs no secret
 * (the receipts are checked with the district public key given).  Stops at
 * the first network failure: SYNC_ENET (unreachable) or SYNC_ETEMP (stalled,
 * dropped, busy); nothing is lost.  SYNC_EREFUSED when the server refused
 * one or more batches (the others are still sent). */
int sync_push(const struct sync_node *node, const uint8_t district_pk[32],
	      const struct sync_push_opts *o);

/* Copy every batch not yet imported to dir (atomically, read back and
 * checked); *count gets the number. */
int sync_export(const struct sync_node *node, const char *dir, sync_event_fn ev, void *ctx,
		size_t *count);
/* Take receipts from a file (any number of 256-byte receipts and district
 * messages, in any order): each is verified first (a bad one refuses the
 * file and changes nothing); receipts for this node's batches update the
 * sending state (an imported batch's file is then deleted), messages for
 * this node wait in outbox/mail for the next logged-in session
 * (sync_mail_apply).  *taken / *ignored (may be NULL) count items used and
 * those for other communes, unknown batches or already taken. */
int sync_receipts_take(const struct sync_node *node, const uint8_t district_pk[32],
		       const char *path, size_t *taken, size_t *ignored);

/* Fetch what the district has for this commune since the last fetch:
 * GET <url>/v1/receipts?commune=CODE&after=OFFSET (README "Sync").  The
 * answer is taken like a receipts file (sx_mail_take: all verified first;
 * a forged or altered item refuses the whole answer, SYNC_ESIG, nothing
 * changed); the offset reached is kept in outbox/fetched.  Network
 * failures as sync_push; SYNC_EREFUSED for 403/404 (not enrolled).
 * *taken / *ignored (may be NULL) as sync_receipts_take. */
int sync_fetch(const struct sync_node *node, const uint8_t district_pk[32],
	       const struct sync_push_opts *o, size_t *taken, size_t *ignored);

/* ---- district: receiver (serve.c) */
struct sync_serve_opts {
	const char *home;
	const char *addr;        /* "127.0.0.1" or "::1" ... */
	unsigned port;
	const char *district;    /* district code */
	const uint8_t *district_pk; /* signing key, 32 bytes */
	const uint8_t *box_pk;   /* X25519 key batches must be sealed to */
	unsigned max_conns;      /* 0: 1,024 (within RLIMIT_NOFILE) */
	unsigned max_per_ip;     /* 0: 64 (communes may share a carrier NAT address) */
	unsigned request_seconds; /* whole-request deadline from accept (or the
				   * end of the previous request), 0: 120 */
	unsigned header_seconds; /* headers complete within this from the same
				  * start, 0: 10 */
	size_t max_body;         /* 0: SYNC_BATCH_MAX */
	size_t memory_budget;    /* bytes of bodies buffered at once, 0: 40 MiB */
	size_t mail_answer_max;  /* bytes per GET /v1/receipts answer, 0: 256 KiB */
	void (*ready)(void *ctx, unsigned port); /* called once listening (may be NULL) */
	void *ready_ctx;
};
/* Run the receiver until SIGTERM or SIGINT (it blocks both and waits for
 * them; requests in flight are cut off and nothing of them is stored).
 * One line per request to stderr.  SYNC_EKEY when the receiver key or the
 * communes list is missing or does not verify; SYNC_ENET when it cannot
 * listen. */
int sync_serve(const struct sync_serve_opts *opts);

/* ---- district: import (import.c) */
enum sync_outcome {
	SYNC_IMPORTED = 1,
	SYNC_DUPLICATE = 2,
	SYNC_WAITING = 3,   /* an earlier batch of its lineage has not arrived */
	SYNC_REJECTED = 4,  /* moved aside with its reason */
	SYNC_CONFLICT = 5,  /* another batch under the same number: both kept in
			     * conflicts/, neither applied unless it was before */
};
struct sync_import_line {
	const char *file;
	char commune[SYNC_CODE_BUF];
	uint64_t epoch, batch_no;
	int outcome;   /* enum sync_outcome */
	int err;       /* reason for REJECTED (SYNC_E*) */
	size_t records;
	uint64_t waiting_for; /* for WAITING */
	int kept_before; /* CONFLICT: this very batch was already in conflicts/ */
};
struct sync_import_summary {
	size_t imported, duplicate, waiting, rejected, conflict, records;
};
struct sync_import_opts {
	const char *home;
	const char *district;
	const uint8_t *district_pk, *district_sk; /* sign key pair (32, 64) */
	const uint8_t *box_pk, *box_sk;           /* X25519 (32, 32) */
	void (*line)(void *ctx, const struct sync_import_line *l);
	void *ctx;
};
/* Import files (each is first verified and copied into the receiver's
 * inbox, so the USB path and the network path end the same), then apply
 * everything in the inbox, lineage by lineage in batch order.  A batch is
 * applied in one store transaction; receipts go to home/receipts/CODE.ccr.
 * A file given that is not a valid batch is reported and left where it is. */
int sync_import(struct store *s, const struct sync_import_opts *o, char *const *files,
		size_t nfiles, struct sync_import_summary *sum);

/* ---- district: what the spool holds (spool.c), for the UI's inbox */
enum sync_spool_kind {
	SYNC_SPOOL_WAITING = 1,  /* stored by the receiver or a USB import, not applied yet */
	SYNC_SPOOL_REJECTED = 2, /* refused by import, kept in rejected/ with its reason */
	SYNC_SPOOL_CONFLICT = 3, /* kept in conflicts/: another batch under its number */
};
struct sync_spool_entry {
	int kind;                     /* enum sync_spool_kind */
	char commune[SYNC_CODE_BUF];  /* "" when unknown (a file that was not a batch) */
	uint64_t epoch, batch_no;
	uint64_t size;                /* bytes */
	int64_t stored_at;            /* when it was stored (the file's time) */
	int err;                      /* REJECTED, CONFLICT: the SYNC_E* reason (0: unknown) */
};
/* Every batch in home/inbox/ (not done/), home/rejected/ and
 * home/conflicts/, by kind, then commune code, epoch and number.  Reads
 * names and sizes only (no key, no login).  *out is malloc'd (free()); a
 * missing directory is empty. */
int sync_spool_list(const char *home, struct sync_spool_entry **out, size_t *n);

#endif
