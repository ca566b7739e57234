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
 *  - sigmoid is XNNPACK's wasmsimd "rr2 p5 div" evaluation, ELU its "x86 rr2 p6" one, reproduced
 *    operation for operation;
 *  - tanh is the C library's tanhf that emscripten links (musl's), reproduced operation for
 *    operation (activations.h); softplus is tfjs' formula over musl's expf and log (libm.h);
 *  - everything else is one IEEE operation per element, exact in any order of elements.
 *
 * Nothing here reorders a sum: vectors run across independent outputs, never along k.
 * Build with `deno task kernel` (clang 14, -ffp-contract=off so that no a*b+c is fused).
 *
 * This file holds the exports (setup, the pointers JavaScript reads and writes, step); the rest is
 * in headers it includes, by concern: kernel_facts.h (generated from activations.ts and the
 * limits), state.h (shapes, state, allocation), libm.h (the C library's expf and log),
 * activations.h (their reproductions), products.h, sparse.h (products that skip ReLU's zeros,
 * same bits), networks.h (forward and backward) and adam.h.
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

#include "kernel_facts.h"
#include "state.h"
#include "libm.h"
#include "activations.h"
#include "products.h"
#include "sparse.h"
#include "networks.h"
#include "adam.h"

/* Where JavaScript writes the hidden widths (setup's `hidden` of them) before calling setup. */
EXPORT("shape") int32_t *shape(void) { return SHAPE; }

/*
 * Sizes everything for networks of the widths in shape() trained on up to `rows` points, and
 * takes Adam's float32 constants. Returns a SetupResult (kernel_facts.h): SETUP_OK, or why not.
 */
EXPORT("setup")
int setup(int hidden, int rows, int activation, float beta1, float beta2, float one_minus_beta1,
          float one_minus_beta2, float epsilon, float neg_lr) {
  TARGET_RESET();
  if (activation < 0 || activation >= ACTIVATION_COUNT) return SETUP_UNKNOWN_ACTIVATION;
  if (hidden < 1 || hidden > MAX_HIDDEN || rows < 1) return SETUP_BAD_SHAPE;
  H = hidden;
  MAX_STRIDE = 0;
  for (int l = 0; l < H; l++) {
    if (SHAPE[l] < 1 || SHAPE[l] > MAX_WIDTH) return SETUP_BAD_SHAPE;
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
  ORDER_X = (int32_t *)take(N);
  ORDER_Y = (int32_t *)take(N);
  RANK_X = (int32_t *)take(N);
  RANK_Y = (int32_t *)take(N);
  BATCH_X = (int32_t *)take(N);
  BATCH_Y = (int32_t *)take(N);
  SEQUENCE = (int32_t *)take(N);
  ORDERED = 0;
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
  PACKED = H > 1 ? take((uint64_t)MAX_STRIDE * MAX_STRIDE) : 0;
  if (H > 1) gram_room(MAX_STRIDE);
  return out_of_memory ? SETUP_OUT_OF_MEMORY : SETUP_OK;
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

/* The end of what setup took, in bytes: what footprint.ts' estimate is tested against. */
EXPORT("heap_end") uint32_t heap_end(void) { return (uint32_t)heap_top; }

/* n floats of fresh memory (0 when they cannot be had), for activate_in_place's tests; the native
 * build releases what the thread took before (a training's too). */
EXPORT("scratch") float *scratch(int n) {
  TARGET_RESET();
  return n < 1 ? 0 : take((uint64_t)n);
}

/* Applies the activation in place to n values, a vector at a time as the products' epilogue
 * does, for the tests that compare it with tfjs' kernels. Returns SETUP_OK, or
 * SETUP_UNKNOWN_ACTIVATION (and leaves the values) for a code kernel_facts.h does not list. */
EXPORT("activate_in_place") int activate_in_place(float *values, int n, int activation) {
  if (activation < 0 || activation >= ACTIVATION_COUNT) return SETUP_UNKNOWN_ACTIVATION;
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
  return SETUP_OK;
}

/*
 * For the tests of sparse.h: runs its product `which` (0: forward, with a bias; 1: backward's
 * dz·Wᵀ; 2: Aᵀ·D) and the dense one of products.h under ReLU on `data` (A [n][s], then B [k][s],
 * or D [n][s] for which = 2, then a bias [s] and a slope row source [n][s]; s a multiple of
 * lane_width(), k ≤ s), and returns how many outputs differ in their bits (−1: no memory).
 */
EXPORT("sparse_differs") int sparse_differs(int which, int n, int k, int s, float *data) {
  int saved = ACT;
  ACT = RELU;
  const float *A = data, *B = A + (size_t)n * s, *bias = B + (size_t)(which == 2 ? n : k) * s;
  float *aux = (float *)bias + s;
  size_t count = which == 2 ? (size_t)s * s : (size_t)n * s;
  PACKED = take((uint64_t)s * s);
  gram_room(s);
  float *dense = take(count), *sparse = take(count);
  int32_t *order = (int32_t *)take((uint64_t)n);
  if (out_of_memory) {
    ACT = saved;
    return -1;
  }
  /* the rows backwards: groups of four whose zeros differ */
  for (int r = 0; r < n; r++) order[r] = n - 1 - r;
  if (which == 2) {
    product_gram(n, A, s, B, s, dense);
    grouped_gram(n, A, s, B, s, sparse, order);
  } else {
    const float *init = which == 0 ? bias : 0;
    enum Epilogue e = which == 0 ? ACTIVATE : TIMES_SLOPE;
    product_rows(n, k, A, s, B, s, init, e, dense, aux);
    grouped_rows(n, k, A, s, B, s, init, e, sparse, aux, order);
  }
  ACT = saved;
  int differ = 0;
  for (size_t i = 0; i < count; i++) {
    uint32_t a, b;
    __builtin_memcpy(&a, dense + i, 4);
    __builtin_memcpy(&b, sparse + i, 4);
    differ += a != b;
  }
  return differ;
}

/* Floats a hidden layer's row is padded to (CB: two vectors of this build's width), which the
 * memory setup takes depends on (footprint.ts asks, rather than assume the WebAssembly's 8). */
EXPORT("lane_width") int lane_width(void) { return CB; }


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
  /* The data are written once, before the first step; the orders only make grouped_rows
   * faster, so data written later would cost speed, never a bit. */
  if (!ORDERED) {
    ranks(N, X, RANK_X, ORDER_X, SEQUENCE);
    ranks(N, Y, RANK_Y, ORDER_Y, SEQUENCE);
    order_windows(N, MAX_STRIDE, X, ORDER_X, SEQUENCE);
    order_windows(N, MAX_STRIDE, Y, ORDER_Y, SEQUENCE);
    ORDERED = 1;
  }
  /* f(x) and g(y) are near x's and y's orders once f ≈ g⁻¹ is learnt. */
  if (gather) {
    batch_order(n, ROWS, RANK_X, N, BATCH_X);
    batch_order(n, ROWS, RANK_Y, N, BATCH_Y);
    FX.order = GFX.order = BATCH_X;
    GY.order = FGY.order = BATCH_Y;
  } else if (n == N) {
    FX.order = GFX.order = ORDER_X;
    GY.order = FGY.order = ORDER_Y;
  } else {
    for (int r = 0; r < n; r++) SEQUENCE[r] = r;
    FX.order = GFX.order = GY.order = FGY.order = SEQUENCE;
  }
  unpack(&F, theta);
  unpack(&G, theta + P / 2);
  forward(&F, x, n, &FX);
  forward(&G, y, n, &GY);
  forward(&G, FX.out, n, &GFX);
  forward(&F, GY.out, n, &FGY);
  /* The four terms' means of squares, each summed in order from +0 then divided by n, in one
   * loop: their chains of dependent additions overlap. */
  float sq[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int r = 0; r < n; r++) {
    R_FIT[r] = FX.out[r] - y[r];
    R_FIT_G[r] = GY.out[r] - x[r];
    R_CYC_Y[r] = FGY.out[r] - y[r];
    R_CYC_X[r] = GFX.out[r] - x[r];
    sq[0] = sq[0] + R_FIT[r] * R_FIT[r];
    sq[1] = sq[1] + R_FIT_G[r] * R_FIT_G[r];
    sq[2] = sq[2] + R_CYC_Y[r] * R_CYC_Y[r];
    sq[3] = sq[3] + R_CYC_X[r] * R_CYC_X[r];
  }
  for (int i = 0; i < 4; i++) TERMS[i] = sq[i] / (float)n;
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

  adam(bias_correction1, bias_correction2);
}
