/*
 * train_step.c's target layer for a native shared library (kernel/native.ts builds it with the
 * machine's C compiler and loads it with Deno.dlopen): GCC/Clang vector types as wide as the CPU
 * offers (AVX-512: 16 lanes, AVX: 8, else 4), and memory from the C library.
 *
 * Every operation below is the same IEEE operation per lane as its WebAssembly counterpart in
 * target_wasm.h, so the width changes how many outputs are computed at once, never a value: sums
 * still run along k in order, and the build passes -ffp-contract=off (no fused a·b + c).
 *
 * Trainings run in Web Workers, threads of one process sharing this library: all state is
 * thread-local, and setup releases what the thread's previous training took.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__AVX__)
#include <immintrin.h>
#endif

#define EXPORT(name) __attribute__((visibility("default")))
#define STATE static _Thread_local

#ifndef VW
#if defined(__AVX512F__)
#define VW 16
#elif defined(__AVX__)
#define VW 8
#else
#define VW 4
#endif
#endif
#define CB (2 * VW)
/* Where sparse.h's products pay (measured; below, the dense ones of products.h): grouped_rows
 * from this many units of A, grouped_gram from rows of A of this many floats (padding included:
 * its zero units cost nothing). AVX-512 makes a group's list of rows with its compress;
 * elsewhere a scalar loop. */
#if defined(__AVX512F__)
#define GROUPED_MIN_WIDTH 16
#define GROUPED_GRAM_MIN_STRIDE 64
#else
#define GROUPED_MIN_WIDTH 24
#define GROUPED_GRAM_MIN_STRIDE 128
#endif

typedef float vf __attribute__((vector_size(VW * 4)));
typedef int32_t vi __attribute__((vector_size(VW * 4)));

static inline vf v_load(const float *p) {
  vf v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline void v_store(float *p, vf v) { memcpy(p, &v, sizeof v); }
/* A plain broadcast: `(vf){} + x` costs an add per splat in the products' inner loops and turns
 * −0 into +0, which wasm's splat keeps. */
static inline vf v_splat(float x) {
  vf v;
  for (int q = 0; q < VW; q++) v[q] = x;
  return v;
}
static inline vi v_splat_i(int32_t x) {
  vi v;
  for (int q = 0; q < VW; q++) v[q] = x;
  return v;
}
#define AS_I(v) ((vi)(v))
#define AS_F(v) ((vf)(v))

#define V_ADD(a, b) ((a) + (b))
#define V_SUB(a, b) ((a) - (b))
#define V_MUL(a, b) ((a) * (b))
#define V_DIV(a, b) ((a) / (b))
#define V_ABS(v) AS_F(AS_I(v) & v_splat_i(0x7fffffff))
#define V_LOAD(p) v_load(p)
#define V_STORE(p, v) v_store(p, v)
#define V_SPLAT(x) v_splat(x)
#define V_LOAD_SPLAT(p) v_splat(*(p))
static inline vf v_load_strided(const float *p, int s) {
  vf v;
  for (int q = 0; q < VW; q++) v[q] = p[(size_t)q * s];
  return v;
}
#define V_LOAD_STRIDED(p, s) v_load_strided(p, s)
/* wasm's pmax(0, v) is 0 < v ? v : 0: NaN and −0 give +0. */
#define V_RELU(v) AS_F(AS_I(v) & ((v) > v_splat(0.0f)))
#define V_STEP(v) AS_F(((v) > v_splat(0.0f)) & AS_I(v_splat(1.0f)))
#define V_GT(a, b) AS_F((a) > (b))
#define V_LT(a, b) AS_F((a) < (b))
#define V_LE(a, b) AS_F((a) <= (b))
#define V_NE(a, b) AS_F((a) != (b))
#define V_ANDNOT(a, b) AS_F(AS_I(a) & ~AS_I(b))
#define V_SELECT(a, b, mask) AS_F((AS_I(a) & AS_I(mask)) | (AS_I(b) & ~AS_I(mask)))
#define V_SHL_BITS(v, k) AS_F(AS_I(v) << (k))
#define V_SIGN_MASK(v) AS_F(AS_I(v) >> 31)
#define V_SPLAT_I32(x) AS_F(v_splat_i(x))
#define V_I32_ADD(a, b) AS_F(AS_I(a) + AS_I(b))
#define V_I32_SUB(a, b) AS_F(AS_I(a) - AS_I(b))
#define V_I32_GT(a, b) AS_F(AS_I(a) > AS_I(b))
#define V_I32_LT(a, b) AS_F(AS_I(a) < AS_I(b))
#define V_I32_EQ(a, b) AS_F(AS_I(a) == AS_I(b))
#define V_AND(a, b) AS_F(AS_I(a) & AS_I(b))
#define V_OR(a, b) AS_F(AS_I(a) | AS_I(b))
#define V_XOR(a, b) AS_F(AS_I(a) ^ AS_I(b))
/*
 * Truncation toward zero, saturating as wasm's trunc_sat: NaN gives 0, values past the int range
 * its nearest end. Clamped first, since C leaves an out-of-range conversion undefined.
 */
static inline vf v_trunc_i32(vf v) {
  const vf lo = v_splat(-2147483648.0f), hi = v_splat(2147483520.0f);
  vi nan = v != v, above = v > hi, below = v < lo;
  vf c = V_SELECT(hi, V_SELECT(lo, v, below), above);
  vi r = __builtin_convertvector(AS_F(AS_I(c) & ~nan), vi);
  return AS_F((r & ~above) | (v_splat_i(2147483647) & above));
}
#define V_TRUNC_I32(v) v_trunc_i32(v)
#define V_I32_TO_F32(v) __builtin_convertvector(AS_I(v), vf)
/*
 * Rows r[0..VW−1] of a VW × VW block become its columns, in registers: log2(VW) rounds of
 * two-source shuffles (__builtin_shufflevector: clang, GCC 12+), each swapping the off-diagonal
 * blocks of every 2b × 2b block (b = VW/2, …, 1). Through memory instead (other compilers) it
 * costs about a cycle a float, 9–14 % of an epoch in product_column.
 */
#if defined(__clang__) || __GNUC__ >= 12
#define LO_(b, p) ((p) / (2 * (b)) * (2 * (b)) + ((p) % (2 * (b)) < (b) ? (p) % (2 * (b)) : VW + (p) % (2 * (b)) - (b)))
#define HI_(b, p) (LO_(b, p) + (b))
#if VW == 16
#define IDX_(F, b)                                                                             \
  F(b, 0), F(b, 1), F(b, 2), F(b, 3), F(b, 4), F(b, 5), F(b, 6), F(b, 7), F(b, 8), F(b, 9),   \
      F(b, 10), F(b, 11), F(b, 12), F(b, 13), F(b, 14), F(b, 15)
#elif VW == 8
#define IDX_(F, b) F(b, 0), F(b, 1), F(b, 2), F(b, 3), F(b, 4), F(b, 5), F(b, 6), F(b, 7)
#else
#define IDX_(F, b) F(b, 0), F(b, 1), F(b, 2), F(b, 3)
#endif
#define ROUND_(r, b)                                                                           \
  for (int i_ = 0; i_ < VW; i_ += 2 * (b)) {                                                   \
    for (int q_ = i_; q_ < i_ + (b); q_++) {                                                   \
      vf lo_ = __builtin_shufflevector(r[q_], r[q_ + (b)], IDX_(LO_, b));                      \
      vf hi_ = __builtin_shufflevector(r[q_], r[q_ + (b)], IDX_(HI_, b));                      \
      r[q_] = lo_, r[q_ + (b)] = hi_;                                                          \
    }                                                                                          \
  }
static inline void transpose_block(vf r[VW]) {
#if VW == 16
  ROUND_(r, 8)
#endif
#if VW >= 8
  ROUND_(r, 4)
#endif
  ROUND_(r, 2)
  ROUND_(r, 1)
}
#define V_TRANSPOSE(r) transpose_block(r)
#else
#define V_TRANSPOSE(r)                                                                         \
  do {                                                                                         \
    float t_[VW][VW];                                                                          \
    for (int a_ = 0; a_ < VW; a_++) v_store(t_[a_], r[a_]);                                    \
    for (int a_ = 0; a_ < VW; a_++)                                                            \
      for (int b_ = 0; b_ < VW; b_++) r[a_][b_] = t_[b_][a_];                                  \
  } while (0)
#endif

/* Whether any lane of a mask (all bits set or clear) is set. */
static inline int v_any_true(vf mask) {
  int any = 0;
  for (int q = 0; q < VW; q++) any |= AS_I(mask)[q];
  return any != 0;
}
#define V_ANY_TRUE(mask) v_any_true(mask)

/* sparse.h's live_rows, 8 rows at a time: their masks tested, their numbers compressed. */
#if defined(__AVX512F__) && defined(__AVX512VL__)
#define TARGET_LIVE_ROWS
static inline int live_rows(int n, int words, const uint64_t *masks, const uint64_t *group,
                            int32_t *list) {
  int c = 0;
  __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int q = 0; q < n; q += 8) {
    __m512i any = _mm512_setzero_si512();
    for (int w = 0; w < words; w++) {
      __m512i m = _mm512_loadu_si512(masks + (size_t)w * n + q);
      any = _mm512_or_si512(any, _mm512_and_si512(m, _mm512_set1_epi64((long long)group[w])));
    }
    __mmask8 live = _mm512_test_epi64_mask(any, any);
    _mm256_mask_compressstoreu_epi32(list + c, live, idx);
    c += __builtin_popcount(live);
    idx = _mm256_add_epi32(idx, _mm256_set1_epi32(8));
  }
  return c;
}
#endif

/* Bit q set where lane q of v is not zero (NaN included): sparse.h's row masks. */
#if defined(__AVX512F__)
#define V_NONZERO_BITS(v)                                                                      \
  ((uint32_t)_mm512_cmp_ps_mask((__m512)(v), _mm512_setzero_ps(), _CMP_NEQ_UQ))
#elif defined(__AVX__)
#define V_NONZERO_BITS(v)                                                                      \
  ((uint32_t)_mm256_movemask_ps(_mm256_cmp_ps((__m256)(v), _mm256_setzero_ps(), _CMP_NEQ_UQ)))
#else
static inline uint32_t v_nonzero_bits(vf v) {
  uint32_t bits = 0;
  for (int q = 0; q < VW; q++) bits |= (uint32_t)!(v[q] == 0.0f) << q;
  return bits;
}
#define V_NONZERO_BITS(v) v_nonzero_bits(v)
#endif

/* ---------- memory: zeroed blocks from the C library, released at the next setup ---------- */

#define MAX_BLOCKS 512
STATE void *blocks[MAX_BLOCKS];
STATE int block_count;
/* Bytes taken since setup (heap_end). */
STATE uintptr_t heap_top;
/* Set by the first allocation that fails; setup reports it. */
STATE int out_of_memory;

/* count floats, 64-byte aligned and zero; 0, and out_of_memory set, when they cannot be had. */
static float *take(uint64_t count) {
  if (out_of_memory) return 0;
  uint64_t bytes = (count * sizeof(float) + 63u) & ~(uint64_t)63u;
  void *p = 0;
  if (count > (1ull << 40) || block_count == MAX_BLOCKS ||
      posix_memalign(&p, 64, bytes == 0 ? 64 : (size_t)bytes) != 0) {
    out_of_memory = 1;
    return 0;
  }
  memset(p, 0, bytes == 0 ? 64 : (size_t)bytes);
  blocks[block_count++] = p;
  heap_top += bytes;
  return (float *)p;
}

/* Releases the thread's previous training before the next one is set up. */
static void target_reset(void) {
  for (int i = 0; i < block_count; i++) free(blocks[i]);
  block_count = 0;
  heap_top = 0;
  out_of_memory = 0;
}
#define TARGET_RESET() target_reset()
