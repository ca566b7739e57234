/*
 * One Adam step of the post's loss on f and g, as a WebAssembly SIMD module.
 *
 * Why it exists: train.ts on tfjs' wasm backend spends most of an epoch outside arithmetic
 * (per-op JavaScript, XNNPACK repacking its right operand on every call). This module runs the
 * same step in one call with nothing in between, and computes every float32 value exactly as
 * tfjs + XNNPACK do for the ops train.ts issues (test/stages/model/kernel/trainer_test.ts checks
 * the two bit for bit). What "exactly" takes, for the tfjs-backend-wasm that deno.json pins:
 *
 *  - a matrix product accumulates each output over k in order, starting from its bias (or +0),
 *    as acc = acc + a*b with both operations rounded to float32 (no FMA: wasm SIMD has none);
 *  - fused ReLU is pmax(0, acc), so a NaN becomes 0; the linear layers leave NaN as it is;
 *  - Sum and Mean add along the row in order from +0; Mean then divides by the count;
 *  - sigmoid is XNNPACK's wasmsimd "rr2 p5 div" evaluation, reproduced operation for operation;
 *  - everything else is one IEEE operation per element, exact in any order of elements.
 *
 * Nothing here reorders a sum: vectors run across independent outputs, never along k.
 * Build with `deno task kernel` (clang 14, -ffp-contract=off so that no a*b+c is fused).
 */
#include <stddef.h>
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

typedef v128_t f4;

#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul
#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define SPLAT wasm_f32x4_splat

/* The products stay functions of their own: V8 moves wasm functions from its baseline compiler
 * to the optimising one one function at a time, as each proves hot, and a small function called
 * several times a step proves hot within the first epochs, long before one inlined step would. */
#define PRODUCT __attribute__((noinline)) static void

/* ---------- memory: one instance trains once, so a bump allocator over zeroed pages ---------- */

extern unsigned char __heap_base;
static uintptr_t heap_top;
/* Set by the first allocation that fails; setup reports it. */
static int out_of_memory;

/* The most linear memory wasm32 can address (65536 pages of 64 KiB). */
#define MEMORY_LIMIT 0x100000000ull

/* count floats, 16-byte aligned and zero (fresh pages); 0, and out_of_memory set, when they do
 * not fit or memory cannot grow. Sizes are 64-bit: a count past 4 GiB must fail here, not wrap
 * around. */
static float *take(uint64_t count) {
  if (out_of_memory) return 0;
  if (heap_top == 0) heap_top = (uintptr_t)&__heap_base;
  uint64_t start = ((uint64_t)heap_top + 15u) & ~(uint64_t)15u;
  uint64_t end = start + count * sizeof(float);
  uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
  if (count > MEMORY_LIMIT || end > MEMORY_LIMIT ||
      (end > have &&
       __builtin_wasm_memory_grow(0, (size_t)((end - have + 65535u) / 65536u)) == (size_t)-1)) {
    out_of_memory = 1;
    return 0;
  }
  heap_top = (uintptr_t)end;
  return (float *)(uintptr_t)start;
}

/* ---------- shapes and state ---------- */

/* Width, and the row stride of every [rows][width] matrix: width rounded up to 8 so that rows
 * are whole vectors. Padding columns hold zeros in the weights and stay out of every sum. */
static int W, S, N, RELU;

/* One network, 1 → W → W → 1, unpacked from the parameter vector into padded rows. */
typedef struct {
  float *w0, *b0;        /* [S], [S] */
  float *w1, *w1t, *b1;  /* [S][S] kernel (in × out), its transpose, [S] */
  float *w2;             /* [S] */
  float b2;
} Net;

/* What backward needs of a forward pass: hidden outputs, their slopes act'(z), the output. */
typedef struct {
  float *h1, *h2; /* [N][S] outputs of the hidden layers */
  float *s1, *s2; /* [N][S] SiLU slopes; ReLU's slope is read off h (1 where h > 0) */
  float *out;     /* [N] */
} Trace;

typedef struct {
  float *gw0, *gb0, *gw1, *gb1, *gw2; /* [S], [S], [S][S], [S], [S] */
  float gb2;
} Grads;

static Net F, G;
static Trace FX, GY, GFX, FGY;
static Grads GRAD_F, GRAD_G, CYC_F, CYC_G;
static float *theta, *adam_m, *adam_v, *grad; /* [P] */
static int P;
static float *X, *Y, *BX, *BY;                /* [N]: data, and the current minibatch */
static int32_t *ROWS;                         /* [N]: the minibatch's row indices */
static float *R_FIT, *R_FIT_G, *R_CYC_Y, *R_CYC_X, *D_FX, *D_GY, *D_CYC, *D_IN; /* [N] */
static float *DZ1, *DZ0;                      /* [N][S] */
static float TERMS[5];
static float BETA1, BETA2, ONE_MINUS_BETA1, ONE_MINUS_BETA2, EPSILON, NEG_LR;

static void alloc_net(Net *n) {
  n->w0 = take(S);
  n->b0 = take(S);
  n->w1 = take((uint64_t)S * S);
  n->w1t = take((uint64_t)S * S);
  n->b1 = take(S);
  n->w2 = take(S);
}

static void alloc_trace(Trace *t) {
  t->h1 = take((uint64_t)N * S);
  t->h2 = take((uint64_t)N * S);
  t->s1 = RELU ? t->h1 : take((uint64_t)N * S);
  t->s2 = RELU ? t->h2 : take((uint64_t)N * S);
  t->out = take(N);
}

static void alloc_grads(Grads *g) {
  g->gw0 = take(S);
  g->gb0 = take(S);
  g->gw1 = take((uint64_t)S * S);
  g->gb1 = take(S);
  g->gw2 = take(S);
}

/*
 * Sizes everything for networks of `width` trained on up to `rows` points, and takes Adam's
 * float32 constants. Returns 0, or 1 when the sizes do not fit in memory.
 */
EXPORT("setup")
int setup(int width, int rows, int relu, float beta1, float beta2, float one_minus_beta1,
          float one_minus_beta2, float epsilon, float neg_lr) {
  /* Past these, the int index arithmetic below could overflow; memory runs out long before. */
  if (width < 1 || width > 16384 || rows < 1) return 1;
  W = width;
  S = (width + 7) & ~7;
  N = rows;
  RELU = relu;
  P = 2 * (W * W + 4 * W + 1);
  BETA1 = beta1;
  BETA2 = beta2;
  ONE_MINUS_BETA1 = one_minus_beta1;
  ONE_MINUS_BETA2 = one_minus_beta2;
  EPSILON = epsilon;
  NEG_LR = neg_lr;
  alloc_net(&F);
  alloc_net(&G);
  alloc_trace(&FX);
  alloc_trace(&GY);
  alloc_trace(&GFX);
  alloc_trace(&FGY);
  alloc_grads(&GRAD_F);
  alloc_grads(&GRAD_G);
  alloc_grads(&CYC_F);
  alloc_grads(&CYC_G);
  theta = take(P);
  adam_m = take(P);
  adam_v = take(P);
  grad = take(P);
  X = take(N);
  Y = take(N);
  BX = take(N);
  BY = take(N);
  ROWS = (int32_t *)take(N);
  R_FIT = take(N);
  R_FIT_G = take(N);
  R_CYC_Y = take(N);
  R_CYC_X = take(N);
  D_FX = take(N);
  D_GY = take(N);
  D_CYC = take(N);
  D_IN = take(N);
  DZ1 = take((uint64_t)N * S);
  DZ0 = take((uint64_t)N * S);
  return out_of_memory;
}

/* Where JavaScript reads and writes: the parameters (f's layers, then g's; each kernel
 * row-major, then its bias), the data, a minibatch's rows, and the last step's loss terms. */
EXPORT("parameters") float *parameters(void) { return theta; }
EXPORT("inputs") float *inputs(void) { return X; }
EXPORT("targets") float *targets(void) { return Y; }
EXPORT("rows") int32_t *rows(void) { return ROWS; }
EXPORT("terms") float *terms(void) { return TERMS; }
/* The length of parameters(): 2 · (W² + 4W + 1). */
EXPORT("parameter_count") int parameter_count(void) { return P; }

/* ---------- the activation, and XNNPACK's sigmoid ---------- */

/* sigmoid as XNNPACK's wasmsimd rr2-p5-div kernel evaluates it: e^-|x| by a two-step range
 * reduction and a degree-5 polynomial, e / (e + 1), flushed to 0 past the denormal cutoff,
 * then mirrored (1 − ·) for x ≥ 0. */
static inline f4 sigmoid4(f4 x) {
  const f4 magic = SPLAT(0x1.8000FEp23f), minus_log2e = SPLAT(-0x1.715476p+0f);
  const f4 ln2_hi = SPLAT(0x1.62E400p-1f), ln2_lo = SPLAT(0x1.7F7D1Cp-20f);
  const f4 c5 = SPLAT(-0x1.0F9F9Cp-7f), c4 = SPLAT(0x1.573A1Ap-5f), c3 = SPLAT(-0x1.555A80p-3f);
  const f4 c2 = SPLAT(0x1.FFFDC6p-2f), c1 = SPLAT(-0x1.FFFFF6p-1f), one = SPLAT(1.0f);
  const f4 cutoff = SPLAT(0x1.5D589Ep+6f);
  f4 z = wasm_f32x4_abs(x);
  f4 n = ADD(MUL(z, minus_log2e), magic);
  f4 scale = wasm_i32x4_shl(n, 23);
  n = SUB(n, magic);
  f4 t = ADD(MUL(n, ln2_hi), z);
  t = ADD(MUL(n, ln2_lo), t);
  f4 p = ADD(MUL(t, c5), c4);
  p = ADD(MUL(t, p), c3);
  p = ADD(MUL(t, p), c2);
  p = ADD(MUL(t, p), c1);
  t = MUL(t, scale);
  f4 e = ADD(MUL(t, p), scale);
  f4 r = wasm_f32x4_div(e, ADD(e, one));
  r = wasm_v128_andnot(r, wasm_f32x4_gt(z, cutoff));
  return wasm_v128_bitselect(r, SUB(one, r), wasm_i32x4_shr(x, 31));
}

/* A hidden layer's output from its pre-activation z, and (SiLU) its slope, as network.ts:
 * ReLU fused into the product, SiLU as z·s with slope s·(1 + z·(1 − s)), s = sigmoid(z). */
static inline void activate(f4 z, float *h, float *s) {
  if (RELU) {
    STORE(h, wasm_f32x4_pmax(SPLAT(0.0f), z));
  } else {
    const f4 one = SPLAT(1.0f);
    f4 sg = sigmoid4(z);
    STORE(h, MUL(z, sg));
    STORE(s, MUL(sg, ADD(one, MUL(z, SUB(one, sg)))));
  }
}

/* act'(z) for back-propagation: ReLU's step(h) (1 where h > 0, else 0), or the stored SiLU slope. */
static inline f4 slope(const float *s) {
  if (RELU) return wasm_v128_and(wasm_f32x4_gt(LOAD(s), SPLAT(0.0f)), SPLAT(1.0f));
  return LOAD(s);
}

/* ---------- products ---------- */

enum Epilogue { ACTIVATE, TIMES_SLOPE };

/* One finished output vector: activated (forward) or multiplied by the next slope (backward). */
static inline void finish(enum Epilogue e, f4 acc, float *out, float *aux) {
  if (e == ACTIVATE) activate(acc, out, aux);
  else STORE(out, MUL(acc, slope(aux)));
}

/*
 * out[r][j] = epilogue(init[j] + Σ_{i<k} A[r][i]·B[i][j]), over i in order; init 0 when NULL.
 * Blocks of 4 rows × 8 columns keep 8 accumulators in registers; A's value is broadcast.
 */
PRODUCT product_rows(int n, int k, const float *A, const float *B, const float *init,
                     enum Epilogue e, float *out, float *aux) {
  const f4 zero = SPLAT(0.0f);
  int r = 0;
  for (; r + 4 <= n; r += 4) {
    const float *a0 = A + (size_t)r * S, *a1 = a0 + S, *a2 = a1 + S, *a3 = a2 + S;
    for (int j = 0; j < S; j += 8) {
      f4 i0 = init ? LOAD(init + j) : zero, i1 = init ? LOAD(init + j + 4) : zero;
      f4 c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1, c30 = i0, c31 = i1;
      const float *b = B + j;
      for (int i = 0; i < k; i++, b += S) {
        f4 b0 = LOAD(b), b1 = LOAD(b + 4);
        f4 v0 = wasm_v128_load32_splat(a0 + i), v1 = wasm_v128_load32_splat(a1 + i);
        f4 v2 = wasm_v128_load32_splat(a2 + i), v3 = wasm_v128_load32_splat(a3 + i);
        c00 = ADD(c00, MUL(v0, b0));
        c01 = ADD(c01, MUL(v0, b1));
        c10 = ADD(c10, MUL(v1, b0));
        c11 = ADD(c11, MUL(v1, b1));
        c20 = ADD(c20, MUL(v2, b0));
        c21 = ADD(c21, MUL(v2, b1));
        c30 = ADD(c30, MUL(v3, b0));
        c31 = ADD(c31, MUL(v3, b1));
      }
      size_t o = (size_t)r * S + j;
      finish(e, c00, out + o, aux + o);
      finish(e, c01, out + o + 4, aux + o + 4);
      finish(e, c10, out + o + S, aux + o + S);
      finish(e, c11, out + o + S + 4, aux + o + S + 4);
      finish(e, c20, out + o + 2 * S, aux + o + 2 * S);
      finish(e, c21, out + o + 2 * S + 4, aux + o + 2 * S + 4);
      finish(e, c30, out + o + 3 * S, aux + o + 3 * S);
      finish(e, c31, out + o + 3 * S + 4, aux + o + 3 * S + 4);
    }
  }
  for (; r < n; r++) {
    const float *a = A + (size_t)r * S;
    for (int j = 0; j < S; j += 4) {
      f4 c = init ? LOAD(init + j) : zero;
      for (int i = 0; i < k; i++) {
        c = ADD(c, MUL(wasm_v128_load32_splat(a + i), LOAD(B + i * S + j)));
      }
      finish(e, c, out + (size_t)r * S + j, aux + (size_t)r * S + j);
    }
  }
}

/* out[r][j] = epilogue(init[j] + col[r]·w[j]): a product whose inner dimension is 1. */
PRODUCT product_outer(int n, const float *col, const float *w, const float *init,
                      enum Epilogue e, float *out, float *aux) {
  const f4 zero = SPLAT(0.0f);
  for (int r = 0; r < n; r++) {
    f4 a = SPLAT(col[r]);
    for (int j = 0; j < S; j += 4) {
      size_t o = (size_t)r * S + j;
      finish(e, ADD(init ? LOAD(init + j) : zero, MUL(a, LOAD(w + j))), out + o, aux + o);
    }
  }
}

/* 4×4 transpose: rows r0..r3 in, columns out. */
#define TRANSPOSE4(r0, r1, r2, r3)                                      \
  do {                                                                \
    f4 t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);                   \
    f4 t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);                   \
    f4 t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);                   \
    f4 t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);                   \
    r0 = wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5);                      \
    r1 = wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7);                      \
    r2 = wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5);                      \
    r3 = wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7);                      \
  } while (0)

/* out[r] = init + Σ_{i<W} A[r][i]·w[i], over i in order: a product with one output column.
 * Four rows at a time, with A's rows transposed into columns so the vector runs across rows. */
PRODUCT product_column(int n, const float *A, const float *w, float init, float *out) {
  int r = 0;
  for (; r + 4 <= n; r += 4) {
    const float *a0 = A + (size_t)r * S, *a1 = a0 + S, *a2 = a1 + S, *a3 = a2 + S;
    f4 acc = SPLAT(init);
    int i = 0;
    for (; i + 4 <= W; i += 4) {
      f4 c0 = LOAD(a0 + i), c1 = LOAD(a1 + i), c2 = LOAD(a2 + i), c3 = LOAD(a3 + i);
      TRANSPOSE4(c0, c1, c2, c3);
      acc = ADD(acc, MUL(c0, SPLAT(w[i])));
      acc = ADD(acc, MUL(c1, SPLAT(w[i + 1])));
      acc = ADD(acc, MUL(c2, SPLAT(w[i + 2])));
      acc = ADD(acc, MUL(c3, SPLAT(w[i + 3])));
    }
    for (; i < W; i++) {
      acc = ADD(acc, MUL(wasm_f32x4_make(a0[i], a1[i], a2[i], a3[i]), SPLAT(w[i])));
    }
    STORE(out + r, acc);
  }
  for (; r < n; r++) {
    const float *a = A + (size_t)r * S;
    float acc = init;
    for (int i = 0; i < W; i++) acc = acc + a[i] * w[i];
    out[r] = acc;
  }
}

/* Rows of the store-and-reload chunks of product_gram: two [rows][S] slices stay in L1. */
#define GRAM_CHUNK 128

/*
 * out[a][b] = Σ_{r<n} A[r][a]·D[r][b], over r in order (a weight gradient Aᵀ·D). The sum over r is
 * cut into chunks that stay in cache; a partial sum is stored and reloaded between chunks, which
 * does not change its float32 value.
 */
PRODUCT product_gram(int n, const float *A, const float *D, float *out) {
  for (int start = 0; start < n; start += GRAM_CHUNK) {
    int end = start + GRAM_CHUNK < n ? start + GRAM_CHUNK : n;
    for (int a = 0; a < S; a += 4) {
      for (int b = 0; b < S; b += 8) {
        float *o0 = out + (size_t)a * S + b, *o1 = o0 + S, *o2 = o1 + S, *o3 = o2 + S;
        f4 c00, c01, c10, c11, c20, c21, c30, c31;
        if (start == 0) {
          c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = SPLAT(0.0f);
        } else {
          c00 = LOAD(o0), c01 = LOAD(o0 + 4), c10 = LOAD(o1), c11 = LOAD(o1 + 4);
          c20 = LOAD(o2), c21 = LOAD(o2 + 4), c30 = LOAD(o3), c31 = LOAD(o3 + 4);
        }
        const float *ar = A + (size_t)start * S + a, *dr = D + (size_t)start * S + b;
        for (int r = start; r < end; r++, ar += S, dr += S) {
          f4 d0 = LOAD(dr), d1 = LOAD(dr + 4);
          f4 v0 = wasm_v128_load32_splat(ar), v1 = wasm_v128_load32_splat(ar + 1);
          f4 v2 = wasm_v128_load32_splat(ar + 2), v3 = wasm_v128_load32_splat(ar + 3);
          c00 = ADD(c00, MUL(v0, d0));
          c01 = ADD(c01, MUL(v0, d1));
          c10 = ADD(c10, MUL(v1, d0));
          c11 = ADD(c11, MUL(v1, d1));
          c20 = ADD(c20, MUL(v2, d0));
          c21 = ADD(c21, MUL(v2, d1));
          c30 = ADD(c30, MUL(v3, d0));
          c31 = ADD(c31, MUL(v3, d1));
        }
        STORE(o0, c00), STORE(o0 + 4, c01), STORE(o1, c10), STORE(o1 + 4, c11);
        STORE(o2, c20), STORE(o2 + 4, c21), STORE(o3, c30), STORE(o3 + 4, c31);
      }
    }
  }
}

/* out[j] = Σ_{r<n} A[r][j]·col[r], over r in order (the gradient of a layer with one input or
 * one output). */
static void product_gram_column(int n, const float *A, const float *col, float *out) {
  for (int j = 0; j < S; j += 8) {
    f4 c0 = SPLAT(0.0f), c1 = SPLAT(0.0f);
    const float *a = A + j;
    for (int r = 0; r < n; r++, a += S) {
      f4 v = SPLAT(col[r]);
      c0 = ADD(c0, MUL(LOAD(a), v));
      c1 = ADD(c1, MUL(LOAD(a + 4), v));
    }
    STORE(out + j, c0);
    STORE(out + j + 4, c1);
  }
}

/* out[j] = Σ_{r<n} A[r][j], over r in order from +0 (tfjs' Sum along an axis). */
static void sum_rows(int n, const float *A, float *out) {
  for (int j = 0; j < S; j += 8) {
    f4 c0 = SPLAT(0.0f), c1 = SPLAT(0.0f);
    const float *a = A + j;
    for (int r = 0; r < n; r++, a += S) {
      c0 = ADD(c0, LOAD(a));
      c1 = ADD(c1, LOAD(a + 4));
    }
    STORE(out + j, c0);
    STORE(out + j + 4, c1);
  }
}

static float sum(int n, const float *v) {
  float acc = 0.0f;
  for (int r = 0; r < n; r++) acc = acc + v[r];
  return acc;
}

/* ---------- the networks ---------- */

/* Copies a network out of the parameter vector into padded rows (padding stays zero). */
static void unpack(Net *net, const float *p) {
  const float *k1 = p + 2 * W, *b1 = k1 + W * W, *k2 = b1 + W;
  for (int j = 0; j < W; j++) {
    net->w0[j] = p[j];
    net->b0[j] = p[W + j];
    net->b1[j] = b1[j];
    net->w2[j] = k2[j];
    for (int i = 0; i < W; i++) {
      net->w1[i * S + j] = k1[i * W + j];
      net->w1t[j * S + i] = k1[i * W + j];
    }
  }
  net->b2 = k2[W];
}

/* network.ts' forward: the net applied to the column `in`, keeping what backward needs. */
static void forward(const Net *net, const float *in, int n, Trace *t) {
  product_outer(n, in, net->w0, net->b0, ACTIVATE, t->h1, t->s1);
  product_rows(n, W, t->h1, net->w1, net->b1, ACTIVATE, t->h2, t->s2);
  product_column(n, t->h2, net->w2, net->b2, t->out);
}

/* network.ts' backward from ∂L/∂out; ∂L/∂in into `din` unless it is NULL. */
static void backward(const Net *net, const Trace *t, const float *in, int n, const float *dout,
                     Grads *g, float *din) {
  product_gram_column(n, t->h2, dout, g->gw2);
  g->gb2 = sum(n, dout);
  product_outer(n, dout, net->w2, 0, TIMES_SLOPE, DZ1, t->s2);
  product_gram(n, t->h1, DZ1, g->gw1);
  sum_rows(n, DZ1, g->gb1);
  product_rows(n, W, DZ1, net->w1t, 0, TIMES_SLOPE, DZ0, t->s1);
  product_gram_column(n, DZ0, in, g->gw0);
  sum_rows(n, DZ0, g->gb0);
  if (din) product_column(n, DZ0, net->w0, 0.0f, din);
}

/* Writes a network's gradient into the vector's layout: plain, plus the cycle part if any. */
static void pack(float *out, const Grads *g, const Grads *cyc) {
  float *k1 = out + 2 * W, *b1 = k1 + W * W, *k2 = b1 + W;
  for (int j = 0; j < W; j++) {
    out[j] = cyc ? g->gw0[j] + cyc->gw0[j] : g->gw0[j];
    out[W + j] = cyc ? g->gb0[j] + cyc->gb0[j] : g->gb0[j];
    b1[j] = cyc ? g->gb1[j] + cyc->gb1[j] : g->gb1[j];
    k2[j] = cyc ? g->gw2[j] + cyc->gw2[j] : g->gw2[j];
    for (int i = 0; i < W; i++) {
      float v = g->gw1[i * S + j];
      k1[i * W + j] = cyc ? v + cyc->gw1[i * S + j] : v;
    }
  }
  k2[W] = cyc ? g->gb2 + cyc->gb2 : g->gb2;
}

static float mean_square(int n, const float *r) {
  float acc = 0.0f;
  for (int i = 0; i < n; i++) acc = acc + r[i] * r[i];
  return acc / (float)n;
}

/*
 * One step of loss.ts' lossAndGradients and adam.ts on `n` rows: all of them, or (gather) the
 * rows listed in rows(). The float32 scalars are those the tfjs code makes: λ and μ as weights
 * of the total, 2/n, μ·2/n and λ·2/n for the gradients, and Adam's 1 − β₁ᵗ and 1 − β₂ᵗ.
 * `cycles` says which cycle terms are back-propagated (bit 0: μ ≠ 0, bit 1: λ ≠ 0). The loss
 * terms land in terms(): fit_f, fit_g, cyc_y, cyc_x, total.
 */
EXPORT("step")
void step(int n, int gather, int cycles, float lambda, float mu, float fit_scale, float mu_scale,
          float lambda_scale, float bias_correction1, float bias_correction2) {
  const float *x = X, *y = Y;
  if (gather) {
    for (int r = 0; r < n; r++) BX[r] = X[ROWS[r]], BY[r] = Y[ROWS[r]];
    x = BX, y = BY;
  }
  unpack(&F, theta);
  unpack(&G, theta + P / 2);
  forward(&F, x, n, &FX);
  forward(&G, y, n, &GY);
  forward(&G, FX.out, n, &GFX);
  forward(&F, GY.out, n, &FGY);
  for (int r = 0; r < n; r++) {
    R_FIT[r] = FX.out[r] - y[r];
    R_FIT_G[r] = GY.out[r] - x[r];
    R_CYC_Y[r] = FGY.out[r] - y[r];
    R_CYC_X[r] = GFX.out[r] - x[r];
  }
  TERMS[0] = mean_square(n, R_FIT);
  TERMS[1] = mean_square(n, R_FIT_G);
  TERMS[2] = mean_square(n, R_CYC_Y);
  TERMS[3] = mean_square(n, R_CYC_X);
  float total = 0.0f;
  total = total + TERMS[0] * 1.0f;
  total = total + TERMS[1] * 1.0f;
  total = total + TERMS[2] * mu;
  total = total + TERMS[3] * lambda;
  TERMS[4] = total;

  for (int r = 0; r < n; r++) D_FX[r] = R_FIT[r] * fit_scale, D_GY[r] = R_FIT_G[r] * fit_scale;
  if (cycles & 1) {
    for (int r = 0; r < n; r++) D_CYC[r] = R_CYC_Y[r] * mu_scale;
    backward(&F, &FGY, GY.out, n, D_CYC, &CYC_F, D_IN);
    for (int r = 0; r < n; r++) D_GY[r] = D_GY[r] + D_IN[r];
  }
  if (cycles & 2) {
    for (int r = 0; r < n; r++) D_CYC[r] = R_CYC_X[r] * lambda_scale;
    backward(&G, &GFX, FX.out, n, D_CYC, &CYC_G, D_IN);
    for (int r = 0; r < n; r++) D_FX[r] = D_FX[r] + D_IN[r];
  }
  backward(&F, &FX, x, n, D_FX, &GRAD_F, 0);
  backward(&G, &GY, y, n, D_GY, &GRAD_G, 0);
  pack(grad, &GRAD_F, (cycles & 1) ? &CYC_F : 0);
  pack(grad + P / 2, &GRAD_G, (cycles & 2) ? &CYC_G : 0);

  for (int i = 0; i < P; i++) {
    float g = grad[i];
    float m = adam_m[i] * BETA1 + g * ONE_MINUS_BETA1;
    float v = adam_v[i] * BETA2 + (g * g) * ONE_MINUS_BETA2;
    float update = ((m / bias_correction1) / (__builtin_sqrtf(v / bias_correction2) + EPSILON)) *
                   NEG_LR;
    theta[i] = update + theta[i];
    adam_m[i] = m;
    adam_v[i] = v;
  }
}
