/*
 * weave_simd: the `simd` host kernels of wit/weave-host.wit as a Node-API addon, with
 * AVX2 code where the CPU has it and a scalar C path with the same order of operations
 * where it does not. A fragment can migrate between hubs at any yield point, so every
 * kernel computes exactly the order the WIT defines, bit for bit; speed comes only from
 * doing independent work side by side (lanes, rows, columns), never from reassociating.
 *
 *   const k = require('./build/Release/weave_simd.node');
 *   k.dotF32(memory.buffer, x, y, n);        // x, y: absolute byte offsets, n: elements
 *   k.matmulF32(memory.buffer, a, b, c, m, n, kk);
 *
 * Every function takes the wasm memory's ArrayBuffer (zero copy) and checks every range
 * against its length before touching it: bad arguments throw a TypeError or RangeError,
 * never read or write outside the buffer. `k.scalar.*` are the same kernels forced onto the
 * scalar C path (for tests); `k.avx2()` says which path the top-level functions take.
 *
 * Beyond the WIT: any NaN a kernel produces is written as the canonical quiet NaN
 * (0x7fc00000, 0x7ff8000000000000). Which NaN an x86 or Arm FPU, or V8, propagates is not
 * portable (operand order, default-NaN sign), so without this a NaN would be the one
 * result that differs between hubs. The TypeScript reference does the same.
 */
#include <node_api.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __FAST_MATH__
#error "weave_simd must not be built with -ffast-math: the kernels are bit-exact"
#endif

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define WEAVE_HAVE_AVX2_CODE 1
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2")))
#define AVX2_INLINE __attribute__((target("avx2"), always_inline)) static inline
#else
#define WEAVE_HAVE_AVX2_CODE 0
#endif

/* ---------------------------------------------------------------------------------------
 * Element access. Addresses are byte offsets a program chose, so nothing is aligned;
 * memcpy compiles to one unaligned load or store.
 */
static inline float ld32(const uint8_t *p) { float v; memcpy(&v, p, 4); return v; }
static inline double ld64(const uint8_t *p) { double v; memcpy(&v, p, 8); return v; }
static inline void st32(uint8_t *p, float v) { memcpy(p, &v, 4); }
static inline void st64(uint8_t *p, double v) { memcpy(p, &v, 8); }

static float nan32(void) { uint32_t u = 0x7fc00000u; float v; memcpy(&v, &u, 4); return v; }
static double nan64(void) { uint64_t u = 0x7ff8000000000000ull; double v; memcpy(&v, &u, 8); return v; }
static inline float canon32(float v) { return v != v ? nan32() : v; }
static inline double canon64(double v) { return v != v ? nan64() : v; }

/* ---------------------------------------------------------------------------------------
 * Scalar reference, in C. The same order as runtime/host/simd-scalar.ts: lanes start at
 * +0, lane l takes the elements i % L == l of the whole blocks, lanes combine pairwise,
 * the tail is added in index order; products are rounded before they are added.
 */
static float dot_f32_ref(const uint8_t *x, const uint8_t *y, size_t n)
{
  float lane[8] = { 0 };
  size_t body = n - n % 8;
  for (size_t i = 0; i < body; i += 8)
    for (size_t l = 0; l < 8; l++) {
      float p = ld32(x + 4 * (i + l)) * ld32(y + 4 * (i + l));
      lane[l] = lane[l] + p;
    }
  float r = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (size_t i = body; i < n; i++) {
    float p = ld32(x + 4 * i) * ld32(y + 4 * i);
    r = r + p;
  }
  return canon32(r);
}

static double dot_f64_ref(const uint8_t *x, const uint8_t *y, size_t n)
{
  double lane[4] = { 0 };
  size_t body = n - n % 4;
  for (size_t i = 0; i < body; i += 4)
    for (size_t l = 0; l < 4; l++) {
      double p = ld64(x + 8 * (i + l)) * ld64(y + 8 * (i + l));
      lane[l] = lane[l] + p;
    }
  double r = (lane[0] + lane[1]) + (lane[2] + lane[3]);
  for (size_t i = body; i < n; i++) {
    double p = ld64(x + 8 * i) * ld64(y + 8 * i);
    r = r + p;
  }
  return canon64(r);
}

static float sum_f32_ref(const uint8_t *x, size_t n)
{
  float lane[8] = { 0 };
  size_t body = n - n % 8;
  for (size_t i = 0; i < body; i += 8)
    for (size_t l = 0; l < 8; l++) lane[l] = lane[l] + ld32(x + 4 * (i + l));
  float r = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (size_t i = body; i < n; i++) r = r + ld32(x + 4 * i);
  return canon32(r);
}

static double sum_f64_ref(const uint8_t *x, size_t n)
{
  double lane[4] = { 0 };
  size_t body = n - n % 4;
  for (size_t i = 0; i < body; i += 4)
    for (size_t l = 0; l < 4; l++) lane[l] = lane[l] + ld64(x + 8 * (i + l));
  double r = (lane[0] + lane[1]) + (lane[2] + lane[3]);
  for (size_t i = body; i < n; i++) r = r + ld64(x + 8 * i);
  return canon64(r);
}

/* Strictly in index order: when x and y overlap, y[i] reads what y[i - d] just wrote. */
static void axpy_f32_ref(float a, const uint8_t *x, uint8_t *y, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    float p = a * ld32(x + 4 * i);
    st32(y + 4 * i, canon32(ld32(y + 4 * i) + p));
  }
}

static void axpy_f64_ref(double a, const uint8_t *x, uint8_t *y, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    double p = a * ld64(x + 8 * i);
    st64(y + 8 * i, canon64(ld64(y + 8 * i) + p));
  }
}

/* c is checked not to overlap a or b, so c's rows can serve as the accumulators. */
static void matmul_f32_ref(const uint8_t *a, const uint8_t *b, uint8_t *c, size_t m, size_t n, size_t k)
{
  for (size_t i = 0; i < m; i++) {
    uint8_t *ci = c + 4 * i * n;
    for (size_t j = 0; j < n; j++) st32(ci + 4 * j, 0.0f);
    for (size_t p = 0; p < k; p++) {
      float aip = ld32(a + 4 * (i * k + p));
      const uint8_t *bp = b + 4 * p * n;
      for (size_t j = 0; j < n; j++) {
        float prod = aip * ld32(bp + 4 * j);
        st32(ci + 4 * j, ld32(ci + 4 * j) + prod);
      }
    }
    for (size_t j = 0; j < n; j++) st32(ci + 4 * j, canon32(ld32(ci + 4 * j)));
  }
}

static void matmul_f64_ref(const uint8_t *a, const uint8_t *b, uint8_t *c, size_t m, size_t n, size_t k)
{
  for (size_t i = 0; i < m; i++) {
    uint8_t *ci = c + 8 * i * n;
    for (size_t j = 0; j < n; j++) st64(ci + 8 * j, 0.0);
    for (size_t p = 0; p < k; p++) {
      double aip = ld64(a + 8 * (i * k + p));
      const uint8_t *bp = b + 8 * p * n;
      for (size_t j = 0; j < n; j++) {
        double prod = aip * ld64(bp + 8 * j);
        st64(ci + 8 * j, ld64(ci + 8 * j) + prod);
      }
    }
    for (size_t j = 0; j < n; j++) st64(ci + 8 * j, canon64(ld64(ci + 8 * j)));
  }
}

#if WEAVE_HAVE_AVX2_CODE
/* ---------------------------------------------------------------------------------------
 * AVX2. One f32 register is exactly the 8 lanes of the WIT's reductions (one f64 register
 * the 4 lanes), so a reduction is one accumulator register: it is bound by the add
 * latency, and no amount of unrolling may split it without changing the result.
 * mul then add, never FMA: target("avx2") does not enable FMA, and the build passes
 * -ffp-contract=off; test/simd.test.ts disassembles the built addon to check for vfmadd.
 */
AVX2 static float dot_f32_avx2(const uint8_t *x, const uint8_t *y, size_t n)
{
  __m256 acc = _mm256_setzero_ps();
  size_t body = n - n % 8;
  for (size_t i = 0; i < body; i += 8) {
    __m256 p = _mm256_mul_ps(_mm256_loadu_ps((const float *)(x + 4 * i)), _mm256_loadu_ps((const float *)(y + 4 * i)));
    acc = _mm256_add_ps(acc, p);
  }
  float lane[8];
  _mm256_storeu_ps(lane, acc);
  float r = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (size_t i = body; i < n; i++) {
    float p = ld32(x + 4 * i) * ld32(y + 4 * i);
    r = r + p;
  }
  return canon32(r);
}

AVX2 static double dot_f64_avx2(const uint8_t *x, const uint8_t *y, size_t n)
{
  __m256d acc = _mm256_setzero_pd();
  size_t body = n - n % 4;
  for (size_t i = 0; i < body; i += 4) {
    __m256d p = _mm256_mul_pd(_mm256_loadu_pd((const double *)(x + 8 * i)), _mm256_loadu_pd((const double *)(y + 8 * i)));
    acc = _mm256_add_pd(acc, p);
  }
  double lane[4];
  _mm256_storeu_pd(lane, acc);
  double r = (lane[0] + lane[1]) + (lane[2] + lane[3]);
  for (size_t i = body; i < n; i++) {
    double p = ld64(x + 8 * i) * ld64(y + 8 * i);
    r = r + p;
  }
  return canon64(r);
}

AVX2 static float sum_f32_avx2(const uint8_t *x, size_t n)
{
  __m256 acc = _mm256_setzero_ps();
  size_t body = n - n % 8;
  for (size_t i = 0; i < body; i += 8) acc = _mm256_add_ps(acc, _mm256_loadu_ps((const float *)(x + 4 * i)));
  float lane[8];
  _mm256_storeu_ps(lane, acc);
  float r = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (size_t i = body; i < n; i++) r = r + ld32(x + 4 * i);
  return canon32(r);
}

AVX2 static double sum_f64_avx2(const uint8_t *x, size_t n)
{
  __m256d acc = _mm256_setzero_pd();
  size_t body = n - n % 4;
  for (size_t i = 0; i < body; i += 4) acc = _mm256_add_pd(acc, _mm256_loadu_pd((const double *)(x + 8 * i)));
  double lane[4];
  _mm256_storeu_pd(lane, acc);
  double r = (lane[0] + lane[1]) + (lane[2] + lane[3]);
  for (size_t i = body; i < n; i++) r = r + ld64(x + 8 * i);
  return canon64(r);
}

AVX2_INLINE __m256 canon_ps(__m256 v)
{
  return _mm256_blendv_ps(v, _mm256_set1_ps(nan32()), _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
}

AVX2_INLINE __m256d canon_pd(__m256d v)
{
  return _mm256_blendv_pd(v, _mm256_set1_pd(nan64()), _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
}

/*
 * A vector step reads 32 bytes of x before it writes 32 bytes of y; that equals the
 * sequential definition unless x starts less than a step away from y (and is not y).
 */
#define AXPY_STEP_BYTES 32

static bool axpy_needs_sequential(const uint8_t *x, const uint8_t *y)
{
  uintptr_t px = (uintptr_t)x, py = (uintptr_t)y;
  uintptr_t d = px > py ? px - py : py - px;
  return d != 0 && d < AXPY_STEP_BYTES;
}

AVX2 static void axpy_f32_avx2(float a, const uint8_t *x, uint8_t *y, size_t n)
{
  if (axpy_needs_sequential(x, y)) { axpy_f32_ref(a, x, y, n); return; }
  __m256 av = _mm256_set1_ps(a);
  size_t body = n - n % 8;
  for (size_t i = 0; i < body; i += 8) {
    __m256 p = _mm256_mul_ps(av, _mm256_loadu_ps((const float *)(x + 4 * i)));
    __m256 s = _mm256_add_ps(_mm256_loadu_ps((const float *)(y + 4 * i)), p);
    _mm256_storeu_ps((float *)(y + 4 * i), canon_ps(s));
  }
  axpy_f32_ref(a, x + 4 * body, y + 4 * body, n - body);
}

AVX2 static void axpy_f64_avx2(double a, const uint8_t *x, uint8_t *y, size_t n)
{
  if (axpy_needs_sequential(x, y)) { axpy_f64_ref(a, x, y, n); return; }
  __m256d av = _mm256_set1_pd(a);
  size_t body = n - n % 4;
  for (size_t i = 0; i < body; i += 4) {
    __m256d p = _mm256_mul_pd(av, _mm256_loadu_pd((const double *)(x + 8 * i)));
    __m256d s = _mm256_add_pd(_mm256_loadu_pd((const double *)(y + 8 * i)), p);
    _mm256_storeu_pd((double *)(y + 8 * i), canon_pd(s));
  }
  axpy_f64_ref(a, x + 8 * body, y + 8 * body, n - body);
}

/*
 * matmul. Each c[i][j] is one accumulator that takes a[i][p] * b[p][j] for p = 0, 1, ...
 * in order; the elements of c are independent of each other, so a block of MR rows x NR
 * columns of c lives in registers (12 of the 16 ymm) while p runs innermost: per p, two
 * loads of b, MR broadcasts of a, 2*MR multiplies and 2*MR adds, no reassociation.
 *
 * Blocking, all of it invisible to the result: p is cut into KC-long slices (the block's
 * accumulators go to c between slices and come back: a store and reload of an f32/f64 is
 * exact); for each slice, a KC x NR panel of b is copied into a contiguous aligned buffer
 * (16 KiB, L1-resident) that every row block then streams through, which also avoids the
 * cache-set conflicts of walking b's columns with a power-of-two row stride.
 * NaN canonicalization happens when the last slice stores: a NaN accumulator stays NaN,
 * whatever its bits, so doing it only at the end gives the same bytes.
 */
#define MR 6
#define NR32 16
#define NR64 8
#define KC 256

AVX2_INLINE void block_f32(const int mr, const uint8_t *a, size_t lda, const float *bp, size_t kc,
                           uint8_t *c, size_t ldc, bool first, bool last)
{
  __m256 lo[MR], hi[MR];
  for (int r = 0; r < mr; r++) {
    if (first) {
      lo[r] = _mm256_setzero_ps();
      hi[r] = _mm256_setzero_ps();
    } else {
      lo[r] = _mm256_loadu_ps((const float *)(c + r * ldc));
      hi[r] = _mm256_loadu_ps((const float *)(c + r * ldc + 32));
    }
  }
  for (size_t p = 0; p < kc; p++) {
    __m256 b0 = _mm256_load_ps(bp + p * NR32);
    __m256 b1 = _mm256_load_ps(bp + p * NR32 + 8);
    for (int r = 0; r < mr; r++) {
      __m256 av = _mm256_set1_ps(ld32(a + r * lda + 4 * p));
      lo[r] = _mm256_add_ps(lo[r], _mm256_mul_ps(av, b0));
      hi[r] = _mm256_add_ps(hi[r], _mm256_mul_ps(av, b1));
    }
  }
  for (int r = 0; r < mr; r++) {
    _mm256_storeu_ps((float *)(c + r * ldc), last ? canon_ps(lo[r]) : lo[r]);
    _mm256_storeu_ps((float *)(c + r * ldc + 32), last ? canon_ps(hi[r]) : hi[r]);
  }
}

AVX2_INLINE void block_f64(const int mr, const uint8_t *a, size_t lda, const double *bp, size_t kc,
                           uint8_t *c, size_t ldc, bool first, bool last)
{
  __m256d lo[MR], hi[MR];
  for (int r = 0; r < mr; r++) {
    if (first) {
      lo[r] = _mm256_setzero_pd();
      hi[r] = _mm256_setzero_pd();
    } else {
      lo[r] = _mm256_loadu_pd((const double *)(c + r * ldc));
      hi[r] = _mm256_loadu_pd((const double *)(c + r * ldc + 32));
    }
  }
  for (size_t p = 0; p < kc; p++) {
    __m256d b0 = _mm256_load_pd(bp + p * NR64);
    __m256d b1 = _mm256_load_pd(bp + p * NR64 + 4);
    for (int r = 0; r < mr; r++) {
      __m256d av = _mm256_set1_pd(ld64(a + r * lda + 8 * p));
      lo[r] = _mm256_add_pd(lo[r], _mm256_mul_pd(av, b0));
      hi[r] = _mm256_add_pd(hi[r], _mm256_mul_pd(av, b1));
    }
  }
  for (int r = 0; r < mr; r++) {
    _mm256_storeu_pd((double *)(c + r * ldc), last ? canon_pd(lo[r]) : lo[r]);
    _mm256_storeu_pd((double *)(c + r * ldc + 32), last ? canon_pd(hi[r]) : hi[r]);
  }
}

/* One copy of the block per row count, each with its accumulators fully in registers. */
#define DEFINE_BLOCK(T, R) \
  AVX2 static void block_##T##_##R(const uint8_t *a, size_t lda, const void *bp, size_t kc, \
                                   uint8_t *c, size_t ldc, bool first, bool last) \
  { block_##T(R, a, lda, bp, kc, c, ldc, first, last); }
DEFINE_BLOCK(f32, 1) DEFINE_BLOCK(f32, 2) DEFINE_BLOCK(f32, 3)
DEFINE_BLOCK(f32, 4) DEFINE_BLOCK(f32, 5) DEFINE_BLOCK(f32, 6)
DEFINE_BLOCK(f64, 1) DEFINE_BLOCK(f64, 2) DEFINE_BLOCK(f64, 3)
DEFINE_BLOCK(f64, 4) DEFINE_BLOCK(f64, 5) DEFINE_BLOCK(f64, 6)

typedef void (*block_fn)(const uint8_t *, size_t, const void *, size_t, uint8_t *, size_t, bool, bool);
static const block_fn BLOCKS_F32[MR + 1] = { 0, block_f32_1, block_f32_2, block_f32_3, block_f32_4, block_f32_5, block_f32_6 };
static const block_fn BLOCKS_F64[MR + 1] = { 0, block_f64_1, block_f64_2, block_f64_3, block_f64_4, block_f64_5, block_f64_6 };

/*
 * Shared driver: es is the element size, nr the panel width in elements. A panel narrower
 * than nr (the last columns) is padded with zeros in the packed copy, and its block goes
 * through a local tile so that nothing past c's last column is written.
 */
AVX2 static void matmul_avx2(const block_fn *blocks, size_t es, size_t nr, const uint8_t *a, const uint8_t *b,
                             uint8_t *c, size_t m, size_t n, size_t k)
{
  if (m == 0 || n == 0) return;
  if (k == 0) {
    /* +0 in both types is all-zero bytes: the empty sum. */
    memset(c, 0, m * n * es);
    return;
  }
  _Alignas(32) uint8_t panel[KC * 64];
  _Alignas(32) uint8_t tile[MR * 64];
  const size_t row_bytes = nr * es; /* 64 for both types */
  for (size_t p0 = 0; p0 < k; p0 += KC) {
    size_t kc = k - p0 < KC ? k - p0 : KC;
    bool first = p0 == 0, last = p0 + kc == k;
    for (size_t j0 = 0; j0 < n; j0 += nr) {
      size_t w = n - j0 < nr ? n - j0 : nr;
      for (size_t p = 0; p < kc; p++) {
        memcpy(panel + p * row_bytes, b + ((p0 + p) * n + j0) * es, w * es);
        if (w < nr) memset(panel + p * row_bytes + w * es, 0, (nr - w) * es);
      }
      for (size_t i0 = 0; i0 < m; i0 += MR) {
        size_t h = m - i0 < MR ? m - i0 : MR;
        const uint8_t *ai = a + (i0 * k + p0) * es;
        uint8_t *ci = c + (i0 * n + j0) * es;
        if (w == nr) {
          blocks[h](ai, k * es, panel, kc, ci, n * es, first, last);
        } else {
          memset(tile, 0, sizeof tile);
          if (!first)
            for (size_t r = 0; r < h; r++) memcpy(tile + r * row_bytes, ci + r * n * es, w * es);
          blocks[h](ai, k * es, panel, kc, tile, row_bytes, first, last);
          for (size_t r = 0; r < h; r++) memcpy(ci + r * n * es, tile + r * row_bytes, w * es);
        }
      }
    }
  }
}

/*
 * libgcc's constructor has filled in the CPU model by the time the addon is loaded, so
 * this is a load and a bit test: cheap enough per call, and no state is shared between
 * the worker threads that each load the addon.
 */
static bool cpu_has_avx2(void) { return __builtin_cpu_supports("avx2"); }
#else
static bool cpu_has_avx2(void) { return false; }
#endif

/* ---------------------------------------------------------------------------------------
 * Node-API glue. Argument errors read exactly like the TypeScript reference's, so a
 * fragment sees the same trap message whichever path its hub took.
 */
#define MAX_SAFE_INTEGER 9007199254740991.0

typedef enum { K_DOT, K_SUM, K_AXPY, K_MATMUL } kernel_kind;

typedef struct {
  const char *name;   /* e.g. "dotF32" */
  kernel_kind kind;
  bool f64;
  bool force_scalar;  /* the `scalar` object's copies */
} kernel_info;

typedef struct {
  napi_env env;
  const kernel_info *k;
  uint8_t *base;
  size_t len;
} call_ctx;

static void throw_fmt(napi_env env, bool range, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (range) napi_throw_range_error(env, NULL, msg);
  else napi_throw_type_error(env, NULL, msg);
}

static const char *type_name(napi_valuetype t)
{
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    default: return "object";
  }
}

static bool arg_memory(call_ctx *cx, napi_value v)
{
  bool is_ab = false;
  if (napi_is_arraybuffer(cx->env, v, &is_ab) != napi_ok || !is_ab) {
    throw_fmt(cx->env, false, "%s: memory must be an ArrayBuffer", cx->k->name);
    return false;
  }
  void *data = NULL;
  size_t len = 0;
  if (napi_get_arraybuffer_info(cx->env, v, &data, &len) != napi_ok) {
    throw_fmt(cx->env, false, "%s: memory must be an ArrayBuffer", cx->k->name);
    return false;
  }
  /* A detached buffer reports no data and length 0: only empty ranges pass the checks. */
  cx->base = data;
  cx->len = data ? len : 0;
  return true;
}

static bool arg_number(call_ctx *cx, napi_value v, const char *what, double *out)
{
  napi_valuetype t = napi_undefined;
  if (napi_typeof(cx->env, v, &t) != napi_ok || t != napi_number) {
    throw_fmt(cx->env, false, "%s: %s must be a number, got %s", cx->k->name, what, type_name(t));
    return false;
  }
  napi_get_value_double(cx->env, v, out);
  return true;
}

/* A byte offset or a count: a safe non-negative integer. */
static bool arg_index(call_ctx *cx, napi_value v, const char *what, uint64_t *out)
{
  double d;
  if (!arg_number(cx, v, what, &d)) return false;
  if (!(d >= 0 && d <= MAX_SAFE_INTEGER && d == floor(d))) {
    /* String(v) from the engine, so the message matches the TypeScript one exactly. */
    char text[64] = "?";
    napi_value s;
    size_t used;
    if (napi_coerce_to_string(cx->env, v, &s) == napi_ok)
      napi_get_value_string_utf8(cx->env, s, text, sizeof text, &used);
    throw_fmt(cx->env, true, "%s: %s must be a safe non-negative integer, got %s", cx->k->name, what, text);
    return false;
  }
  *out = (uint64_t)d;
  return true;
}

/*
 * [off, off + rows * cols * es) within the buffer, without computing the product:
 * rows * cols <= avail  <=>  rows <= avail / cols  (integer division, cols > 0).
 */
static bool check_range(call_ctx *cx, const char *what, uint64_t off, uint64_t rows, uint64_t cols, bool matrix)
{
  size_t es = cx->k->f64 ? 8 : 4;
  bool ok = off <= cx->len;
  if (ok && rows != 0 && cols != 0) {
    uint64_t avail = (cx->len - off) / es;
    ok = cols <= avail && rows <= avail / cols;
  }
  if (ok) return true;
  const char *ty = cx->k->f64 ? "f64" : "f32";
  if (matrix)
    throw_fmt(cx->env, true, "%s: %s is outside the memory: %llux%llu %s from byte %llu, memory has %llu bytes",
              cx->k->name, what, (unsigned long long)rows, (unsigned long long)cols, ty,
              (unsigned long long)off, (unsigned long long)cx->len);
  else
    throw_fmt(cx->env, true, "%s: %s is outside the memory: %llu %s from byte %llu, memory has %llu bytes",
              cx->k->name, what, (unsigned long long)cols, ty, (unsigned long long)off, (unsigned long long)cx->len);
  return false;
}

/* Both ranges non-empty and intersecting. */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
  return alen != 0 && blen != 0 && a < b + blen && b < a + alen;
}

static napi_value call_kernel(napi_env env, napi_callback_info info)
{
  napi_value argv[7];
  size_t argc = 7;
  void *data;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, &data) != napi_ok) return NULL;
  napi_value undef;
  napi_get_undefined(env, &undef);
  for (size_t i = argc; i < 7; i++) argv[i] = undef;

  call_ctx cx = { env, (const kernel_info *)data, NULL, 0 };
  const kernel_info *k = cx.k;
  const bool f64 = k->f64;
  const size_t es = f64 ? 8 : 4;
  const bool avx2 = !k->force_scalar && cpu_has_avx2();
  (void)avx2;
  if (!arg_memory(&cx, argv[0])) return NULL;

  switch (k->kind) {
    case K_DOT: {
      uint64_t x, y, n;
      if (!arg_index(&cx, argv[1], "x", &x) || !arg_index(&cx, argv[2], "y", &y) || !arg_index(&cx, argv[3], "n", &n)) return NULL;
      if (!check_range(&cx, "x", x, 1, n, false) || !check_range(&cx, "y", y, 1, n, false)) return NULL;
      double r;
#if WEAVE_HAVE_AVX2_CODE
      if (avx2) r = f64 ? dot_f64_avx2(cx.base + x, cx.base + y, n) : dot_f32_avx2(cx.base + x, cx.base + y, n);
      else
#endif
      r = f64 ? dot_f64_ref(cx.base + x, cx.base + y, n) : dot_f32_ref(cx.base + x, cx.base + y, n);
      napi_value out;
      napi_create_double(env, r, &out);
      return out;
    }
    case K_SUM: {
      uint64_t x, n;
      if (!arg_index(&cx, argv[1], "x", &x) || !arg_index(&cx, argv[2], "n", &n)) return NULL;
      if (!check_range(&cx, "x", x, 1, n, false)) return NULL;
      double r;
#if WEAVE_HAVE_AVX2_CODE
      if (avx2) r = f64 ? sum_f64_avx2(cx.base + x, n) : sum_f32_avx2(cx.base + x, n);
      else
#endif
      r = f64 ? sum_f64_ref(cx.base + x, n) : sum_f32_ref(cx.base + x, n);
      napi_value out;
      napi_create_double(env, r, &out);
      return out;
    }
    case K_AXPY: {
      double a;
      uint64_t x, y, n;
      if (!arg_number(&cx, argv[1], "a", &a) || !arg_index(&cx, argv[2], "x", &x) || !arg_index(&cx, argv[3], "y", &y) ||
          !arg_index(&cx, argv[4], "n", &n)) return NULL;
      if (!check_range(&cx, "x", x, 1, n, false) || !check_range(&cx, "y", y, 1, n, false)) return NULL;
      /* (float)a rounds to nearest even, as Math.fround does. */
#if WEAVE_HAVE_AVX2_CODE
      if (avx2) {
        if (f64) axpy_f64_avx2(a, cx.base + x, cx.base + y, n);
        else axpy_f32_avx2((float)a, cx.base + x, cx.base + y, n);
        return NULL;
      }
#endif
      if (f64) axpy_f64_ref(a, cx.base + x, cx.base + y, n);
      else axpy_f32_ref((float)a, cx.base + x, cx.base + y, n);
      return NULL;
    }
    case K_MATMUL: {
      uint64_t a, b, c, m, n, kk;
      if (!arg_index(&cx, argv[1], "a", &a) || !arg_index(&cx, argv[2], "b", &b) || !arg_index(&cx, argv[3], "c", &c) ||
          !arg_index(&cx, argv[4], "m", &m) || !arg_index(&cx, argv[5], "n", &n) || !arg_index(&cx, argv[6], "k", &kk))
        return NULL;
      if (!check_range(&cx, "a", a, m, kk, true) || !check_range(&cx, "b", b, kk, n, true) ||
          !check_range(&cx, "c", c, m, n, true)) return NULL;
      /* In range, so these products are at most the buffer length: no overflow. */
      uint64_t abytes = m * kk * es, bbytes = kk * n * es, cbytes = m * n * es;
      if (overlaps(c, cbytes, a, abytes) || overlaps(c, cbytes, b, bbytes)) {
        throw_fmt(env, true, "%s: c overlaps %s; the output must not overlap an input", k->name,
                  overlaps(c, cbytes, a, abytes) ? "a" : "b");
        return NULL;
      }
#if WEAVE_HAVE_AVX2_CODE
      if (avx2) {
        if (f64) matmul_avx2(BLOCKS_F64, 8, NR64, cx.base + a, cx.base + b, cx.base + c, m, n, kk);
        else matmul_avx2(BLOCKS_F32, 4, NR32, cx.base + a, cx.base + b, cx.base + c, m, n, kk);
        return NULL;
      }
#endif
      if (f64) matmul_f64_ref(cx.base + a, cx.base + b, cx.base + c, m, n, kk);
      else matmul_f32_ref(cx.base + a, cx.base + b, cx.base + c, m, n, kk);
      return NULL;
    }
  }
  return NULL;
}

#define KERNELS(S) \
  { "dotF32", K_DOT, false, S }, { "dotF64", K_DOT, true, S }, \
  { "sumF32", K_SUM, false, S }, { "sumF64", K_SUM, true, S }, \
  { "axpyF32", K_AXPY, false, S }, { "axpyF64", K_AXPY, true, S }, \
  { "matmulF32", K_MATMUL, false, S }, { "matmulF64", K_MATMUL, true, S }
static const kernel_info DISPATCHED[] = { KERNELS(false) };
static const kernel_info SCALAR[] = { KERNELS(true) };
#define KERNEL_COUNT (sizeof DISPATCHED / sizeof DISPATCHED[0])

static napi_value js_avx2(napi_env env, napi_callback_info info)
{
  (void)info;
  napi_value out;
  napi_get_boolean(env, cpu_has_avx2(), &out);
  return out;
}

static bool define_kernels(napi_env env, napi_value target, const kernel_info *table)
{
  for (size_t i = 0; i < KERNEL_COUNT; i++) {
    napi_value fn;
    if (napi_create_function(env, table[i].name, NAPI_AUTO_LENGTH, call_kernel, (void *)&table[i], &fn) != napi_ok ||
        napi_set_named_property(env, target, table[i].name, fn) != napi_ok)
      return false;
  }
  return true;
}

static napi_value init(napi_env env, napi_value exports)
{
  napi_value fn, scalar;
  if (napi_create_function(env, "avx2", NAPI_AUTO_LENGTH, js_avx2, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "avx2", fn) != napi_ok)
    return NULL;
  if (!define_kernels(env, exports, DISPATCHED)) return NULL;
  if (napi_create_object(env, &scalar) != napi_ok || !define_kernels(env, scalar, SCALAR) ||
      napi_set_named_property(env, exports, "scalar", scalar) != napi_ok)
    return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
