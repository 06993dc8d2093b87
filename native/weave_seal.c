/*
 * weave_seal: AES-256-GCM over a buffer where it lies, as a Node-API addon.
 *
 * Why: node:crypto's Cipheriv.update returns each ciphertext in a new buffer, so sealing a
 * checkpoint in place means allocating (and zero-filling) as many bytes again and copying
 * them back; on the hubs' two-core VM that ran AES-GCM at 1.5-2.0 GB/s (3.6 in place,
 * 16 MiB), and the buffers fed the garbage collector on every hand-over. OpenSSL enciphers in place (out == in is
 * allowed for GCM), and Node exports the OpenSSL it is built with, so this calls the same
 * EVP functions node:crypto does, on the caller's bytes. The output is byte for byte what
 * node:crypto gives for the same key, nonce and associated data: hubs with and without
 * the addon read each other's seals (runtime/net/gcm.ts falls back to node:crypto).
 *
 *   const g = require('./build/Release/weave_seal.node');
 *   g.seal(key, nonce, aad, data, tag);        // data enciphered in place, tag written
 *   g.open(key, nonce, aad, data, tag);        // true: data deciphered in place and authentic
 *
 * The same, a piece at a time (a hand-over enciphered piece by piece just before each
 * piece goes to the socket, so the cipher runs while the earlier pieces are in flight):
 *
 *   const s = g.begin(key, nonce, aad, true);  // true: seal, false: open
 *   g.update(s, piece); g.update(s, next);     // each enciphered (or deciphered) in place, in order
 *   g.finish(s, tag);                          // seal: tag written, true; open: true when authentic
 *
 * A stream not finished is freed with its handle; one finished takes no more calls
 * (an Error).
 *
 * key: 32 bytes, nonce: 12, tag: 16, aad and data any length (data below 2^31 per call is
 * enciphered in steps). Every argument is a TypedArray (or Buffer); a wrong one throws a
 * TypeError or RangeError before any byte is touched. `open` returning false leaves data
 * holding unauthenticated plaintext: the caller drops it.
 */
#include <node_api.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16
/* EVP takes int lengths: longer data goes in steps of this. */
#define STEP ((size_t)1 << 30)

typedef struct {
  uint8_t *p;
  size_t n;
} bytes_t;

static bool arg_bytes(napi_env env, napi_value v, const char *name, size_t want, bytes_t *out) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a Uint8Array", name);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  napi_value ab;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok || type != napi_uint8_array) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a Uint8Array", name);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  if (want != (size_t)-1 && length != want) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be %zu bytes, not %zu", name, want, length);
    napi_throw_range_error(env, NULL, msg);
    return false;
  }
  /* A detached buffer reads as length 0 with no data: fine for aad or empty data. */
  out->p = (uint8_t *)data;
  out->n = length;
  return true;
}

typedef struct {
  bytes_t key, nonce, aad, data, tag;
} gcm_args;

/* Exactly `n` arguments into argv (a TypeError naming `usage` otherwise). */
static bool get_argv(napi_env env, napi_callback_info info, size_t n, napi_value *argv, const char *usage) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc != n) {
    char msg[96];
    snprintf(msg, sizeof msg, "expected %s", usage);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  return true;
}

/* The key, nonce and associated data every call that starts a cipher takes first. */
static bool key_nonce_aad(napi_env env, const napi_value *argv, gcm_args *a) {
  return arg_bytes(env, argv[0], "key", KEY_BYTES, &a->key) && arg_bytes(env, argv[1], "nonce", NONCE_BYTES, &a->nonce) &&
         arg_bytes(env, argv[2], "aad", (size_t)-1, &a->aad);
}

static bool get_args(napi_env env, napi_callback_info info, gcm_args *a) {
  napi_value argv[5];
  if (!get_argv(env, info, 5, argv, "(key, nonce, aad, data, tag)")) return false;
  if (!(key_nonce_aad(env, argv, a) && arg_bytes(env, argv[3], "data", (size_t)-1, &a->data) &&
        arg_bytes(env, argv[4], "tag", TAG_BYTES, &a->tag))) return false;
  /* The tag is written (seal) or read (open) apart from the data, never over it. */
  uintptr_t d0 = (uintptr_t)a->data.p, d1 = d0 + a->data.n, t0 = (uintptr_t)a->tag.p, t1 = t0 + TAG_BYTES;
  if (a->data.n > 0 && t0 < d1 && d0 < t1) {
    napi_throw_range_error(env, NULL, "tag and data overlap");
    return false;
  }
  return true;
}

/* The cipher set up for a, encrypting or decrypting; NULL when OpenSSL refused. */
static EVP_CIPHER_CTX *start(const gcm_args *a, int enc) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (!ctx) return NULL;
  int len = 0;
  if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) != 1 ||
      EVP_CipherInit_ex(ctx, NULL, NULL, a->key.p, a->nonce.p, enc) != 1 ||
      (a->aad.n > 0 && (a->aad.n > INT_MAX || EVP_CipherUpdate(ctx, NULL, &len, a->aad.p, (int)a->aad.n) != 1))) {
    EVP_CIPHER_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

/* Data enciphered or deciphered where it lies; false when OpenSSL refused. */
static bool run(EVP_CIPHER_CTX *ctx, bytes_t data) {
  for (size_t at = 0; at < data.n; at += STEP) {
    size_t n = data.n - at < STEP ? data.n - at : STEP;
    int len = 0;
    if (EVP_CipherUpdate(ctx, data.p + at, &len, data.p + at, (int)n) != 1 || (size_t)len != n) return false;
  }
  return true;
}

/*
 * The end of a seal (the tag written to `tag`) or of an open (the data so far checked
 * against `tag`: Final says 1 when authentic, 0 when not). False when it failed.
 */
static bool end_cipher(EVP_CIPHER_CTX *ctx, int enc, uint8_t *tag) {
  int len = 0;
  uint8_t rest[16];
  if (enc) return EVP_CipherFinal_ex(ctx, rest, &len) == 1 && len == 0 && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1 && EVP_CipherFinal_ex(ctx, rest, &len) == 1 && len == 0;
}

static napi_value seal(napi_env env, napi_callback_info info) {
  gcm_args a;
  if (!get_args(env, info, &a)) return NULL;
  EVP_CIPHER_CTX *ctx = start(&a, 1);
  bool ok = ctx && run(ctx, a.data) && end_cipher(ctx, 1, a.tag.p);
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) napi_throw_error(env, NULL, "AES-256-GCM seal failed in OpenSSL");
  return NULL;
}

static napi_value open_(napi_env env, napi_callback_info info) {
  gcm_args a;
  if (!get_args(env, info, &a)) return NULL;
  EVP_CIPHER_CTX *ctx = start(&a, 0);
  if (!ctx || !run(ctx, a.data)) {
    EVP_CIPHER_CTX_free(ctx);
    napi_throw_error(env, NULL, "AES-256-GCM open failed in OpenSSL");
    return NULL;
  }
  bool authentic = end_cipher(ctx, 0, a.tag.p);
  EVP_CIPHER_CTX_free(ctx);
  napi_value out;
  napi_get_boolean(env, authentic, &out);
  return out;
}

/* A stream's cipher; NULL once finished (or when OpenSSL refused to start it). */
typedef struct {
  EVP_CIPHER_CTX *ctx;
  int enc;
} stream_t;

static void stream_free(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  stream_t *s = (stream_t *)data;
  if (s->ctx) EVP_CIPHER_CTX_free(s->ctx);
  free(s);
}

/*
 * The arguments of update and finish: (stream, bytes), the stream still open and the
 * bytes `want` long ((size_t)-1: any length); false with an exception thrown otherwise.
 */
static bool stream_args(napi_env env, napi_callback_info info, const char *name, size_t want, stream_t **s, bytes_t *b) {
  napi_value argv[2];
  char usage[32];
  snprintf(usage, sizeof usage, "(stream, %s)", name);
  if (!get_argv(env, info, 2, argv, usage)) return false;
  napi_valuetype t;
  void *data = NULL;
  if (napi_typeof(env, argv[0], &t) != napi_ok || t != napi_external || napi_get_value_external(env, argv[0], &data) != napi_ok || !data) {
    napi_throw_type_error(env, NULL, "expected a stream from begin()");
    return false;
  }
  *s = (stream_t *)data;
  if (!(*s)->ctx) {
    napi_throw_error(env, NULL, "the AES-256-GCM stream is finished");
    return false;
  }
  return arg_bytes(env, argv[1], name, want, b);
}

static napi_value begin(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  gcm_args a;
  bool enc = false;
  if (!get_argv(env, info, 4, argv, "(key, nonce, aad, seal)") || !key_nonce_aad(env, argv, &a)) return NULL;
  if (napi_get_value_bool(env, argv[3], &enc) != napi_ok) {
    napi_throw_type_error(env, NULL, "seal must be a boolean");
    return NULL;
  }
  stream_t *s = (stream_t *)malloc(sizeof *s);
  if (!s) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  s->enc = enc ? 1 : 0;
  s->ctx = start(&a, s->enc);
  if (!s->ctx) {
    free(s);
    napi_throw_error(env, NULL, "AES-256-GCM start failed in OpenSSL");
    return NULL;
  }
  napi_value out;
  if (napi_create_external(env, s, stream_free, NULL, &out) != napi_ok) {
    stream_free(env, s, NULL);
    napi_throw_error(env, NULL, "cannot make the stream's handle");
    return NULL;
  }
  return out;
}

static napi_value update(napi_env env, napi_callback_info info) {
  stream_t *s;
  bytes_t data;
  if (!stream_args(env, info, "data", (size_t)-1, &s, &data)) return NULL;
  if (!run(s->ctx, data)) {
    /* A stream OpenSSL gave up on takes nothing more: its output is not to be trusted. */
    EVP_CIPHER_CTX_free(s->ctx);
    s->ctx = NULL;
    napi_throw_error(env, NULL, "AES-256-GCM update failed in OpenSSL");
  }
  return NULL;
}

static napi_value finish(napi_env env, napi_callback_info info) {
  stream_t *s;
  bytes_t tag;
  if (!stream_args(env, info, "tag", TAG_BYTES, &s, &tag)) return NULL;
  bool ok = end_cipher(s->ctx, s->enc, tag.p);
  EVP_CIPHER_CTX_free(s->ctx);
  s->ctx = NULL;
  if (!ok && s->enc) {
    napi_throw_error(env, NULL, "AES-256-GCM seal failed in OpenSSL");
    return NULL;
  }
  napi_value out;
  napi_get_boolean(env, ok, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"seal", NULL, seal, NULL, NULL, NULL, napi_enumerable, NULL},
    {"open", NULL, open_, NULL, NULL, NULL, napi_enumerable, NULL},
    {"begin", NULL, begin, NULL, NULL, NULL, napi_enumerable, NULL},
    {"update", NULL, update, NULL, NULL, NULL, napi_enumerable, NULL},
    {"finish", NULL, finish, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
