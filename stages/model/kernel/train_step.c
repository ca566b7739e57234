/*
 * One Adam step of the post's loss on f and g, as a WebAssembly SIMD module, for any network that
 * architecture.ts describes: 1 → W[0] → … → W[H−1] → 1, H hidden layers of one activation.
 *
 * Why it exists: train.ts on tfjs' wasm backend spends most of an epoch outside arithmetic
 * (per-op JavaScript, XNNPACK repacking its right operand on every call). This module runs the
 * same step in one call with nothing in between, and computes every float32 value exactly as
 * tfjs + XNNPACK do for the ops train.ts issues (test/stages/model/kernel/ checks the two bit for
 * bit, over random depths, widths and activations). What "exactly" takes, for the
 * tfjs-backend-wasm that deno.json pins:
 *
 *  - a matrix product accumulates each output over k in order, starting from its bias (or +0),
 *    as acc = acc + a*b with both operations rounded to float32 (no FMA: wasm SIMD has none);
 *  - fused ReLU is pmax(0, acc), so a NaN becomes 0; the linear layers leave NaN as it is;
 *  - Sum and Mean add along the row in order from +0; Mean then divides by the count;
 *  - sigmoid is XNNPACK's wasmsimd "rr2 p5 div" evaluation, reproduced operation for operation;
 *  - tanh is the C library's tanhf that emscripten links (musl's), reproduced operation for
 *    operation (tanh_scalar below);
 *  - everything else is one IEEE operation per element, exact in any order of elements.
 *
 * Nothing here reorders a sum: vectors run across independent outputs, never along k.
 * Build with `deno task kernel` (clang 14, -ffp-contract=off so that no a*b+c is fused).
 */
#include <stddef.h>
#include <stdint.h>

/* ---------- the vector layer and memory: the only code that knows the target ---------- */

#ifdef __wasm__
#include "target_wasm.h"
#else
#include "target_native.h"
#endif

/* The products stay functions of their own: V8 moves wasm functions from its baseline compiler
 * to the optimising one one function at a time, as each proves hot, and a small function called
 * several times a step proves hot within the first epochs, long before one inlined step would. */
#define PRODUCT __attribute__((noinline)) static void

/* ---------- shapes and state ---------- */

/* architecture.ts' limits: at most 8 hidden layers of at most 1024 units (checked again here so
 * that no index below can overflow). */
#define MAX_HIDDEN 8
#define MAX_WIDTH 1024

/* The activations, numbered in the order of architecture.ts' ACTIVATIONS. */
enum Activation { RELU = 0, SILU = 1, TANH = 2 };

/* H hidden layers; WIDTH[l] units in hidden layer l, stored in rows of STRIDE[l] floats (WIDTH
 * rounded up to CB). Padding columns hold zeros in the weights and stay out of every sum. */
STATE int H, N, ACT, P, MAX_STRIDE;
STATE int WIDTH[MAX_HIDDEN], STRIDE[MAX_HIDDEN];

/*
 * Linear layer l maps hidden layer l−1 (the input for l = 0) to hidden layer l (the output for
 * l = H), unpacked from the parameter vector into padded rows:
 *   l = 0:      w [STRIDE[0]],               b [STRIDE[0]];
 *   0 < l < H:  w [WIDTH[l−1]][STRIDE[l]],   wt its transpose [WIDTH[l]][STRIDE[l−1]], b [STRIDE[l]];
 *   l = H:      w [STRIDE[H−1]],             b [1].
 */
typedef struct {
  float *w, *wt, *b;
} Layer;

typedef struct {
  Layer layer[MAX_HIDDEN + 1];
} Net;

/* What backward needs of a forward pass: each hidden layer's output h [N][STRIDE[l]], what
 * act'(z) is read from (h itself for ReLU and tanh, SiLU's stored slope), and the output [N]. */
typedef struct {
  float *h[MAX_HIDDEN], *slope[MAX_HIDDEN];
  float *out;
} Trace;

/* Gradients, shaped as the layers (a middle layer's as [STRIDE[l−1]][STRIDE[l]]). */
typedef struct {
  float *w[MAX_HIDDEN + 1], *b[MAX_HIDDEN + 1];
} Grads;

STATE Net F, G;
STATE Trace FX, GY, GFX, FGY;
STATE Grads GRAD_F, GRAD_G, CYC_F, CYC_G;
STATE float *theta, *adam_m, *adam_v, *grad; /* [P] */
STATE float *X, *Y, *BX, *BY;                /* [N]: data, and the current minibatch */
STATE int32_t *ROWS;                         /* [N]: the minibatch's row indices */
STATE float *R_FIT, *R_FIT_G, *R_CYC_Y, *R_CYC_X, *D_FX, *D_GY, *D_CYC, *D_IN; /* [N] */
STATE float *DZ[2];                          /* [N][MAX_STRIDE]: backward's running ∂L/∂z */
STATE float TERMS[5];
STATE float BETA1, BETA2, ONE_MINUS_BETA1, ONE_MINUS_BETA2, EPSILON, NEG_LR;
/* Where JavaScript writes the hidden widths before setup. */
STATE int32_t SHAPE[MAX_HIDDEN];

static void alloc_net(Net *n) {
  for (int l = 0; l <= H; l++) {
    Layer *L = &n->layer[l];
    if (l == 0) {
      L->w = take(STRIDE[0]);
      L->b = take(STRIDE[0]);
    } else if (l < H) {
      L->w = take((uint64_t)WIDTH[l - 1] * STRIDE[l]);
      L->wt = take((uint64_t)WIDTH[l] * STRIDE[l - 1]);
      L->b = take(STRIDE[l]);
    } else {
      L->w = take(STRIDE[H - 1]);
      L->b = take(4);
    }
  }
}

static void alloc_trace(Trace *t) {
  for (int l = 0; l < H; l++) {
    t->h[l] = take((uint64_t)N * STRIDE[l]);
    t->slope[l] = ACT == SILU ? take((uint64_t)N * STRIDE[l]) : t->h[l];
  }
  t->out = take(N);
}

static void alloc_grads(Grads *g) {
  for (int l = 0; l <= H; l++) {
    uint64_t rows = l == 0 || l == H ? 1 : STRIDE[l - 1];
    g->w[l] = take(rows * (l == H ? STRIDE[H - 1] : STRIDE[l]));
    g->b[l] = take(l == H ? 4 : STRIDE[l]);
  }
}

/* The length of the parameter vector: both networks, each layer's kernel then its bias. */
static int count_parameters(void) {
  int per_net = 0, in = 1;
  for (int l = 0; l <= H; l++) {
    int out = l < H ? WIDTH[l] : 1;
    per_net += in * out + out;
    in = out;
  }
  return 2 * per_net;
}

/* Where JavaScript writes the hidden widths (setup's `hidden` of them) before calling setup. */
EXPORT("shape") int32_t *shape(void) { return SHAPE; }

/*
 * Sizes everything for networks of the widths in shape() trained on up to `rows` points, and
 * takes Adam's float32 constants. Returns 0, or 1 when the shape is out of range or the sizes do
 * not fit in memory.
 */
EXPORT("setup")
int setup(int hidden, int rows, int activation, float beta1, float beta2, float one_minus_beta1,
          float one_minus_beta2, float epsilon, float neg_lr) {
  TARGET_RESET();
  if (hidden < 1 || hidden > MAX_HIDDEN || rows < 1 || activation < RELU || activation > TANH) {
    return 1;
  }
  H = hidden;
  MAX_STRIDE = 0;
  for (int l = 0; l < H; l++) {
    if (SHAPE[l] < 1 || SHAPE[l] > MAX_WIDTH) return 1;
    WIDTH[l] = SHAPE[l];
    STRIDE[l] = (SHAPE[l] + CB - 1) / CB * CB;
    if (STRIDE[l] > MAX_STRIDE) MAX_STRIDE = STRIDE[l];
  }
  N = rows;
  ACT = activation;
  P = count_parameters();
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
  DZ[0] = take((uint64_t)N * MAX_STRIDE);
  DZ[1] = take((uint64_t)N * MAX_STRIDE);
  return out_of_memory;
}

/* Where JavaScript reads and writes: the parameters (f's layers, then g's; each kernel
 * row-major, then its bias), the data, a minibatch's rows, and the last step's loss terms. */
EXPORT("parameters") float *parameters(void) { return theta; }
EXPORT("inputs") float *inputs(void) { return X; }
EXPORT("targets") float *targets(void) { return Y; }
EXPORT("rows") int32_t *rows(void) { return ROWS; }
EXPORT("terms") float *terms(void) { return TERMS; }
/* The length of parameters(). */
EXPORT("parameter_count") int parameter_count(void) { return P; }
/* Adam's first and second moments, laid out as parameters(): read to keep a training's state,
 * written to continue one (setup leaves them zero). */
EXPORT("first_moments") float *first_moments(void) { return adam_m; }
EXPORT("second_moments") float *second_moments(void) { return adam_v; }

/* ---------- the activations ---------- */

/* sigmoid as XNNPACK's wasmsimd rr2-p5-div kernel evaluates it: e^-|x| by a two-step range
 * reduction and a degree-5 polynomial, e / (e + 1), flushed to 0 past the denormal cutoff,
 * then mirrored (1 − ·) for x ≥ 0. */
static inline vf sigmoid_v(vf x) {
  const vf magic = V_SPLAT(0x1.8000FEp23f), minus_log2e = V_SPLAT(-0x1.715476p+0f);
  const vf ln2_hi = V_SPLAT(0x1.62E400p-1f), ln2_lo = V_SPLAT(0x1.7F7D1Cp-20f);
  const vf c5 = V_SPLAT(-0x1.0F9F9Cp-7f), c4 = V_SPLAT(0x1.573A1Ap-5f);
  const vf c3 = V_SPLAT(-0x1.555A80p-3f), c2 = V_SPLAT(0x1.FFFDC6p-2f);
  const vf c1 = V_SPLAT(-0x1.FFFFF6p-1f), one = V_SPLAT(1.0f);
  const vf cutoff = V_SPLAT(0x1.5D589Ep+6f);
  vf z = V_ABS(x);
  vf n = V_ADD(V_MUL(z, minus_log2e), magic);
  vf scale = V_SHL_BITS(n, 23);
  n = V_SUB(n, magic);
  vf t = V_ADD(V_MUL(n, ln2_hi), z);
  t = V_ADD(V_MUL(n, ln2_lo), t);
  vf p = V_ADD(V_MUL(t, c5), c4);
  p = V_ADD(V_MUL(t, p), c3);
  p = V_ADD(V_MUL(t, p), c2);
  p = V_ADD(V_MUL(t, p), c1);
  t = V_MUL(t, scale);
  vf e = V_ADD(V_MUL(t, p), scale);
  vf r = V_DIV(e, V_ADD(e, one));
  r = V_ANDNOT(r, V_GT(z, cutoff));
  return V_SELECT(r, V_SUB(one, r), V_SIGN_MASK(x));
}

/*
 * tanh as musl's tanhf computes it (the C library emscripten links into tfjs' wasm backend):
 * |x| > 10 (or NaN) gives 1 + 0/|x|; |x| > log(3)/2 gives 1 − 2/(t + 2) with t = e^{2|x|} − 1;
 * |x| > log(5/3)/2 gives t/(t + 2); |x| ≥ 2^-126 gives −t/(t + 2) with t = e^{−2|x|} − 1; a
 * subnormal is itself; the sign is put back last. e^a − 1 is musl's expm1f: a = k·ln2 + r with
 * |r| ≤ ln2/2 (ln2 in a high part exact in float and a low part; k = ±1 below 3·ln2/2, else k =
 * trunc(a/ln2 ± 1/2), and no reduction below ln2/2), e^r − 1 from a rational approximation in
 * r²/2 corrected by the reduction's rounding error c, then scaled by 2^k as musl does for that k;
 * below 2^-25, a itself.
 *
 * Vectorised bit for bit: every branch some lane takes is computed on all lanes and each lane
 * keeps its own (values of the other branches, even NaN or ∞, are dropped). With k as a float,
 * a − k·ln2_hi and k·ln2_lo are musl's values for every k (exact for k = 0 and ±1), so the
 * reduction is written once.
 */
static inline vf tanh_v(vf z) {
  const vf one = V_SPLAT(1.0f), two = V_SPLAT(2.0f), half_one = V_SPLAT(0.5f);
  const vf ln2_hi = V_SPLAT(0x1.62e300p-1f), ln2_lo = V_SPLAT(0x1.2fefa2p-17f);
  const vf inv_ln2 = V_SPLAT(0x1.715476p+0f);
  const vf q1 = V_SPLAT(-0x1.1110d0p-5f), q2 = V_SPLAT(0x1.9e6020p-10f);
  const vf sign_bit = V_SPLAT_I32((int32_t)0x80000000u), magnitude = V_SPLAT_I32(0x7fffffff);
  vf sign = V_AND(z, sign_bit), w = V_AND(z, magnitude), a = w;
  /* tanh's branches on |x| (bits compared as signed ints: all are below 2^31). */
  vf big = V_I32_GT(w, V_SPLAT_I32(0x41200000));                /* |x| > 10, or NaN */
  vf far = V_I32_GT(w, V_SPLAT_I32(0x3f0c9f54));                /* |x| > log(3)/2 */
  vf mid = V_I32_GT(w, V_SPLAT_I32(0x3e82c578));                /* |x| > log(5/3)/2 */
  vf normal = V_I32_GT(w, V_SPLAT_I32(0x007fffff));             /* |x| ≥ 2^-126 */
  /* expm1's argument: 2|x|, or −2|x| near 0. */
  vf twice = V_MUL(two, a);
  vf arg = V_SELECT(twice, V_MUL(V_SPLAT(-2.0f), a), mid);
  /* expm1_tanh(arg) */
  vf aw = V_AND(arg, magnitude), negative = V_AND(arg, sign_bit);
  vf reduce = V_I32_GT(aw, V_SPLAT_I32(0x3eb17218));            /* |arg| > ln2/2 */
  vf near = V_I32_LT(aw, V_SPLAT_I32(0x3f851592));              /* |arg| < 3·ln2/2 */
  vf unit = V_OR(one, negative);                                /* ±1 */
  vf kf_general = V_I32_TO_F32(V_TRUNC_I32(V_ADD(V_MUL(inv_ln2, arg), V_OR(half_one, negative))));
  vf kf = V_AND(V_SELECT(unit, kf_general, near), reduce);      /* 0 when not reducing */
  vf hi = V_SUB(arg, V_MUL(kf, ln2_hi));
  vf lo = V_MUL(kf, ln2_lo);
  vf r = V_SUB(hi, lo);
  vf c = V_SUB(V_SUB(hi, r), lo);
  vf half = V_MUL(half_one, r);
  vf half_sq = V_MUL(r, half);
  vf r1 = V_ADD(one, V_MUL(half_sq, V_ADD(q1, V_MUL(half_sq, q2))));
  vf t = V_SUB(V_SPLAT(3.0f), V_MUL(r1, half));
  vf e = V_MUL(half_sq, V_DIV(V_SUB(r1, t), V_SUB(V_SPLAT(6.0f), V_MUL(r, t))));
  vf k = V_TRUNC_I32(kf);
  vf at_k0 = V_SUB(r, V_SUB(V_MUL(r, e), half_sq));
  vf e2 = V_SUB(V_SUB(V_MUL(r, V_SUB(e, c)), c), half_sq);
  vf at_minus1 = V_SUB(V_MUL(half_one, V_SUB(r, e2)), half_one);
  vf at_plus1 = V_SELECT(V_MUL(V_SPLAT(-2.0f), V_SUB(e2, V_ADD(r, half_one))),
                         V_ADD(one, V_MUL(two, V_SUB(r, e2))), V_LT(r, V_SPLAT(-0.25f)));
  vf two_k = V_SHL_BITS(V_I32_ADD(V_SPLAT_I32(0x7f), k), 23);
  vf two_minus_k = V_SHL_BITS(V_I32_SUB(V_SPLAT_I32(0x7f), k), 23);
  vf at_small_k = V_MUL(V_ADD(V_SUB(r, e2), V_SUB(one, two_minus_k)), two_k);
  vf at_large_k = V_MUL(V_ADD(V_SUB(r, V_ADD(e2, two_minus_k)), one), two_k);
  vf em1 = V_SELECT(at_small_k, at_large_k, V_I32_LT(k, V_SPLAT_I32(23)));
  em1 = V_SELECT(at_plus1, em1, V_I32_EQ(k, V_SPLAT_I32(1)));
  em1 = V_SELECT(at_minus1, em1, V_I32_EQ(k, V_SPLAT_I32(-1)));
  em1 = V_SELECT(at_k0, em1, V_I32_EQ(k, V_SPLAT_I32(0)));
  em1 = V_SELECT(arg, em1, V_I32_LT(aw, V_SPLAT_I32(0x33000000))); /* |arg| < 2^-25 */
  /* tanh from e^arg − 1, by branch */
  vf denom = V_ADD(em1, two);
  vf t_far = V_SUB(one, V_DIV(two, denom));
  vf t_mid = V_DIV(em1, denom);
  /* −t/(t + 2) is −(t/(t + 2)) exactly: rounding is symmetric in sign. */
  vf t_small = V_XOR(t_mid, sign_bit);
  /* 1 + 0/|x|: 1, or for a NaN that NaN (0/NaN and 1 + NaN both pass its payload on). */
  vf t_big = V_SELECT(V_ADD(one, a), one, V_NE(a, a));
  vf out = V_SELECT(t_small, a, normal);
  out = V_SELECT(t_mid, out, mid);
  out = V_SELECT(t_far, out, far);
  out = V_SELECT(t_big, out, big);
  return V_XOR(out, sign);
}

/* A hidden layer's output from its pre-activation z, as network.ts: ReLU fused into the
 * product; SiLU as z·s with its slope s·(1 + z·(1 − s)) stored, s = sigmoid(z); tanh(z). */
static inline void activate(vf z, float *h, float *slope) {
  if (ACT == RELU) {
    V_STORE(h, V_RELU(z));
  } else if (ACT == SILU) {
    const vf one = V_SPLAT(1.0f);
    vf sg = sigmoid_v(z);
    V_STORE(h, V_MUL(z, sg));
    V_STORE(slope, V_MUL(sg, V_ADD(one, V_MUL(z, V_SUB(one, sg)))));
  } else {
    V_STORE(h, tanh_v(z));
  }
}

/* act'(z) for back-propagation, read off what forward kept: ReLU's step(h), SiLU's stored slope,
 * tanh's 1 − h·h. */
static inline vf slope_of(const float *kept) {
  vf v = V_LOAD(kept);
  if (ACT == RELU) return V_STEP(v);
  if (ACT == SILU) return v;
  return V_SUB(V_SPLAT(1.0f), V_MUL(v, v));
}

/* The end of what setup took, in bytes: what footprint.ts' estimate is tested against. */
EXPORT("heap_end") uint32_t heap_end(void) { return (uint32_t)heap_top; }

/* n floats of fresh memory (0 when they cannot be had), for activate_in_place's tests; the native
 * build releases what the thread took before (a training's too). */
EXPORT("scratch") float *scratch(int n) {
  TARGET_RESET();
  return n < 1 ? 0 : take((uint64_t)n);
}

/* Applies the activation in place to n values, a vector at a time as the products' epilogue
 * does, for the tests that compare it with tfjs' kernels. */
EXPORT("activate_in_place") void activate_in_place(float *values, int n, int activation) {
  int saved = ACT;
  ACT = activation;
  float lanes[VW] __attribute__((aligned(16))), slope[VW] __attribute__((aligned(16)));
  for (int i = 0; i < n; i += VW) {
    int m = n - i < VW ? n - i : VW;
    for (int q = 0; q < VW; q++) lanes[q] = q < m ? values[i + q] : 0.0f;
    activate(V_LOAD(lanes), lanes, slope);
    for (int q = 0; q < m; q++) values[i + q] = lanes[q];
  }
  ACT = saved;
}

/* ---------- products ---------- */

enum Epilogue { ACTIVATE, TIMES_SLOPE };

/* One finished output vector: activated (forward) or multiplied by the next slope (backward). */
static inline void finish(enum Epilogue e, vf acc, float *out, float *aux) {
  if (e == ACTIVATE) activate(acc, out, aux);
  else V_STORE(out, V_MUL(acc, slope_of(aux)));
}

/*
 * out[r][j] = epilogue(init[j] + Σ_{i<k} A[r][i]·B[i][j]), over i in order; init 0 when NULL.
 * A has rows of sa floats, B, init, out and aux rows of sb. Blocks of 4 rows × CB columns keep
 * 8 accumulators in registers; A's value is broadcast.
 */
PRODUCT product_rows(int n, int k, const float *A, int sa, const float *B, int sb,
                     const float *init, enum Epilogue e, float *out, float *aux) {
  const vf zero = V_SPLAT(0.0f);
  int r = 0;
  for (; r + 4 <= n; r += 4) {
    const float *a0 = A + (size_t)r * sa, *a1 = a0 + sa, *a2 = a1 + sa, *a3 = a2 + sa;
    for (int j = 0; j < sb; j += CB) {
      vf i0 = init ? V_LOAD(init + j) : zero, i1 = init ? V_LOAD(init + j + VW) : zero;
      vf c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1, c30 = i0, c31 = i1;
      const float *b = B + j;
      for (int i = 0; i < k; i++, b += sb) {
        vf b0 = V_LOAD(b), b1 = V_LOAD(b + VW);
        vf v0 = V_LOAD_SPLAT(a0 + i), v1 = V_LOAD_SPLAT(a1 + i);
        vf v2 = V_LOAD_SPLAT(a2 + i), v3 = V_LOAD_SPLAT(a3 + i);
        c00 = V_ADD(c00, V_MUL(v0, b0));
        c01 = V_ADD(c01, V_MUL(v0, b1));
        c10 = V_ADD(c10, V_MUL(v1, b0));
        c11 = V_ADD(c11, V_MUL(v1, b1));
        c20 = V_ADD(c20, V_MUL(v2, b0));
        c21 = V_ADD(c21, V_MUL(v2, b1));
        c30 = V_ADD(c30, V_MUL(v3, b0));
        c31 = V_ADD(c31, V_MUL(v3, b1));
      }
      size_t o = (size_t)r * sb + j;
      finish(e, c00, out + o, aux + o);
      finish(e, c01, out + o + VW, aux + o + VW);
      finish(e, c10, out + o + sb, aux + o + sb);
      finish(e, c11, out + o + sb + VW, aux + o + sb + VW);
      finish(e, c20, out + o + 2 * sb, aux + o + 2 * sb);
      finish(e, c21, out + o + 2 * sb + VW, aux + o + 2 * sb + VW);
      finish(e, c30, out + o + 3 * sb, aux + o + 3 * sb);
      finish(e, c31, out + o + 3 * sb + VW, aux + o + 3 * sb + VW);
    }
  }
  for (; r < n; r++) {
    const float *a = A + (size_t)r * sa;
    for (int j = 0; j < sb; j += VW) {
      vf c = init ? V_LOAD(init + j) : zero;
      for (int i = 0; i < k; i++) c = V_ADD(c, V_MUL(V_LOAD_SPLAT(a + i), V_LOAD(B + i * sb + j)));
      finish(e, c, out + (size_t)r * sb + j, aux + (size_t)r * sb + j);
    }
  }
}

/* out[r][j] = epilogue(init[j] + col[r]·w[j]), rows of s floats: a product whose inner
 * dimension is 1. */
PRODUCT product_outer(int n, const float *col, const float *w, int s, const float *init,
                      enum Epilogue e, float *out, float *aux) {
  const vf zero = V_SPLAT(0.0f);
  for (int r = 0; r < n; r++) {
    vf a = V_SPLAT(col[r]);
    for (int j = 0; j < s; j += VW) {
      size_t o = (size_t)r * s + j;
      finish(e, V_ADD(init ? V_LOAD(init + j) : zero, V_MUL(a, V_LOAD(w + j))), out + o, aux + o);
    }
  }
}

/* out[r] = init + Σ_{i<k} A[r][i]·w[i], over i in order, A with rows of s floats: a product
 * with one output column. VW rows at a time, transposed into columns so the vector runs across
 * rows. */
PRODUCT product_column(int n, const float *A, int s, int k, const float *w, float init,
                       float *out) {
  int r = 0;
  for (; r + VW <= n; r += VW) {
    const float *a = A + (size_t)r * s;
    vf acc = V_SPLAT(init);
    int i = 0;
    for (; i + VW <= k; i += VW) {
      vf c[VW];
      for (int q = 0; q < VW; q++) c[q] = V_LOAD(a + (size_t)q * s + i);
      V_TRANSPOSE(c);
      for (int q = 0; q < VW; q++) acc = V_ADD(acc, V_MUL(c[q], V_SPLAT(w[i + q])));
    }
    for (; i < k; i++) acc = V_ADD(acc, V_MUL(V_LOAD_STRIDED(a + i, s), V_SPLAT(w[i])));
    V_STORE(out + r, acc);
  }
  for (; r < n; r++) {
    const float *a = A + (size_t)r * s;
    float acc = init;
    for (int i = 0; i < k; i++) acc = acc + a[i] * w[i];
    out[r] = acc;
  }
}

/* Rows of the store-and-reload chunks of product_gram: two slices of rows stay in L1. */
#define GRAM_CHUNK 128

/*
 * out[a][b] = Σ_{r<n} A[r][a]·D[r][b], over r in order (a weight gradient Aᵀ·D), A with rows of
 * sa floats, D and out with rows of sd. The sum over r is cut into chunks that stay in cache; a
 * partial sum is stored and reloaded between chunks, which does not change its float32 value.
 */
PRODUCT product_gram(int n, const float *A, int sa, const float *D, int sd, float *out) {
  for (int start = 0; start < n; start += GRAM_CHUNK) {
    int end = start + GRAM_CHUNK < n ? start + GRAM_CHUNK : n;
    for (int a = 0; a < sa; a += 4) {
      for (int b = 0; b < sd; b += CB) {
        float *o0 = out + (size_t)a * sd + b, *o1 = o0 + sd, *o2 = o1 + sd, *o3 = o2 + sd;
        vf c00, c01, c10, c11, c20, c21, c30, c31;
        if (start == 0) {
          c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = V_SPLAT(0.0f);
        } else {
          c00 = V_LOAD(o0), c01 = V_LOAD(o0 + VW), c10 = V_LOAD(o1), c11 = V_LOAD(o1 + VW);
          c20 = V_LOAD(o2), c21 = V_LOAD(o2 + VW), c30 = V_LOAD(o3), c31 = V_LOAD(o3 + VW);
        }
        const float *ar = A + (size_t)start * sa + a, *dr = D + (size_t)start * sd + b;
        for (int r = start; r < end; r++, ar += sa, dr += sd) {
          vf d0 = V_LOAD(dr), d1 = V_LOAD(dr + VW);
          vf v0 = V_LOAD_SPLAT(ar), v1 = V_LOAD_SPLAT(ar + 1);
          vf v2 = V_LOAD_SPLAT(ar + 2), v3 = V_LOAD_SPLAT(ar + 3);
          c00 = V_ADD(c00, V_MUL(v0, d0));
          c01 = V_ADD(c01, V_MUL(v0, d1));
          c10 = V_ADD(c10, V_MUL(v1, d0));
          c11 = V_ADD(c11, V_MUL(v1, d1));
          c20 = V_ADD(c20, V_MUL(v2, d0));
          c21 = V_ADD(c21, V_MUL(v2, d1));
          c30 = V_ADD(c30, V_MUL(v3, d0));
          c31 = V_ADD(c31, V_MUL(v3, d1));
        }
        V_STORE(o0, c00), V_STORE(o0 + VW, c01), V_STORE(o1, c10), V_STORE(o1 + VW, c11);
        V_STORE(o2, c20), V_STORE(o2 + VW, c21), V_STORE(o3, c30), V_STORE(o3 + VW, c31);
      }
    }
  }
}

/* out[j] = Σ_{r<n} A[r][j]·col[r], over r in order, A with rows of s floats (the gradient of a
 * layer with one input or one output). */
static void product_gram_column(int n, const float *A, int s, const float *col, float *out) {
  for (int j = 0; j < s; j += CB) {
    vf c0 = V_SPLAT(0.0f), c1 = V_SPLAT(0.0f);
    const float *a = A + j;
    for (int r = 0; r < n; r++, a += s) {
      vf v = V_SPLAT(col[r]);
      c0 = V_ADD(c0, V_MUL(V_LOAD(a), v));
      c1 = V_ADD(c1, V_MUL(V_LOAD(a + VW), v));
    }
    V_STORE(out + j, c0);
    V_STORE(out + j + VW, c1);
  }
}

/* out[j] = Σ_{r<n} A[r][j], over r in order from +0 (tfjs' Sum along an axis). */
static void sum_rows(int n, const float *A, int s, float *out) {
  for (int j = 0; j < s; j += CB) {
    vf c0 = V_SPLAT(0.0f), c1 = V_SPLAT(0.0f);
    const float *a = A + j;
    for (int r = 0; r < n; r++, a += s) {
      c0 = V_ADD(c0, V_LOAD(a));
      c1 = V_ADD(c1, V_LOAD(a + VW));
    }
    V_STORE(out + j, c0);
    V_STORE(out + j + VW, c1);
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
  int in = 1;
  for (int l = 0; l <= H; l++) {
    Layer *L = &net->layer[l];
    int out = l < H ? WIDTH[l] : 1;
    const float *k = p, *b = p + in * out;
    if (l == 0 || l == H) {
      for (int j = 0; j < in * out; j++) L->w[j] = k[j];
    } else {
      for (int i = 0; i < in; i++) {
        for (int j = 0; j < out; j++) {
          L->w[i * STRIDE[l] + j] = k[i * out + j];
          L->wt[j * STRIDE[l - 1] + i] = k[i * out + j];
        }
      }
    }
    for (int j = 0; j < out; j++) L->b[j] = b[j];
    p = b + out;
    in = out;
  }
}

/* network.ts' forward: the net applied to the column `in`, keeping what backward needs. */
static void forward(const Net *net, const float *in, int n, Trace *t) {
  const Layer *L = net->layer;
  product_outer(n, in, L[0].w, STRIDE[0], L[0].b, ACTIVATE, t->h[0], t->slope[0]);
  for (int l = 1; l < H; l++) {
    product_rows(n, WIDTH[l - 1], t->h[l - 1], STRIDE[l - 1], L[l].w, STRIDE[l], L[l].b, ACTIVATE,
                 t->h[l], t->slope[l]);
  }
  product_column(n, t->h[H - 1], STRIDE[H - 1], WIDTH[H - 1], L[H].w, L[H].b[0], t->out);
}

/* network.ts' backward from ∂L/∂out; ∂L/∂in into `din` unless it is NULL. */
static void backward(const Net *net, const Trace *t, const float *in, int n, const float *dout,
                     Grads *g, float *din) {
  const Layer *L = net->layer;
  float *dz = DZ[0], *next = DZ[1];
  product_gram_column(n, t->h[H - 1], STRIDE[H - 1], dout, g->w[H]);
  g->b[H][0] = sum(n, dout);
  product_outer(n, dout, L[H].w, STRIDE[H - 1], 0, TIMES_SLOPE, dz, t->slope[H - 1]);
  for (int l = H - 1; l >= 1; l--) {
    /* dz is ∂L/∂z of hidden layer l; layer l maps hidden layer l − 1 to it. */
    product_gram(n, t->h[l - 1], STRIDE[l - 1], dz, STRIDE[l], g->w[l]);
    sum_rows(n, dz, STRIDE[l], g->b[l]);
    product_rows(n, WIDTH[l], dz, STRIDE[l], L[l].wt, STRIDE[l - 1], 0, TIMES_SLOPE, next,
                 t->slope[l - 1]);
    float *swap = dz;
    dz = next;
    next = swap;
  }
  product_gram_column(n, dz, STRIDE[0], in, g->w[0]);
  sum_rows(n, dz, STRIDE[0], g->b[0]);
  if (din) product_column(n, dz, STRIDE[0], WIDTH[0], L[0].w, 0.0f, din);
}

/* Writes a network's gradient into the vector's layout: plain, plus the cycle part if any. */
static void pack(float *p, const Grads *g, const Grads *cyc) {
  int in = 1;
  for (int l = 0; l <= H; l++) {
    int out = l < H ? WIDTH[l] : 1;
    int stride = l == 0 || l == H ? 0 : STRIDE[l];
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        /* the first and last layers' gradients are plain vectors: index i + j */
        size_t at = stride ? (size_t)i * stride + j : (size_t)i + j;
        p[i * out + j] = cyc ? g->w[l][at] + cyc->w[l][at] : g->w[l][at];
      }
    }
    p += in * out;
    for (int j = 0; j < out; j++) p[j] = cyc ? g->b[l][j] + cyc->b[l][j] : g->b[l][j];
    p += out;
    in = out;
  }
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
