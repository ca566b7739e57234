/*
 * The products: every matrix product of a step, each sum in tfjs' order. Part of train_step.c,
 * which includes the kernel's headers in order into one translation unit (so that clang inlines
 * across them and the build stays one source file).
 */

enum Epilogue { ACTIVATE, TIMES_SLOPE };

/* A backward vector times the slope of its units, from what forward kept for them (`aux`). ReLU
 * is spelled out here and in finish: clang leaves `activate` a call and `slope_of` a jump through
 * a table, which per vector cost ReLU networks some 5 % of an epoch. */
static inline vf times_slope(vf acc, const float *aux) {
  return V_MUL(acc, ACT == RELU ? V_STEP(V_LOAD(aux)) : slope_of(aux));
}

/* One finished output vector: activated (forward) or multiplied by the next slope (backward). */
static inline void finish(enum Epilogue e, vf acc, float *out, float *aux) {
  if (e == TIMES_SLOPE) V_STORE(out, times_slope(acc, aux));
  else if (ACT == RELU) V_STORE(out, V_RELU(acc));
  else activate(acc, out, aux);
}

/*
 * The register block of the products here and in sparse.h: 4 rows (or units) × 2 vectors of
 * columns, 8 sums c00 … c31 under one name. Macros, not functions: clang keeps these sums in
 * registers and versions the loops around them (functions over a struct of them cost 2-7 %).
 */
#define BLOCK(c, i0, i1)                                                                       \
  vf c##00 = (i0), c##01 = (i1), c##10 = c##00, c##11 = c##01, c##20 = c##00, c##21 = c##01,   \
     c##30 = c##00, c##31 = c##01
/* One term of each sum: row q adds vq·b0 and vq·b1, each a product, then a sum. */
#define BLOCK_ADD(c, v0, v1, v2, v3, b0, b1)                                                   \
  do {                                                                                         \
    const vf v0_ = (v0), v1_ = (v1), v2_ = (v2), v3_ = (v3), b0_ = (b0), b1_ = (b1);           \
    c##00 = V_ADD(c##00, V_MUL(v0_, b0_)), c##01 = V_ADD(c##01, V_MUL(v0_, b1_));             \
    c##10 = V_ADD(c##10, V_MUL(v1_, b0_)), c##11 = V_ADD(c##11, V_MUL(v1_, b1_));             \
    c##20 = V_ADD(c##20, V_MUL(v2_, b0_)), c##21 = V_ADD(c##21, V_MUL(v2_, b1_));             \
    c##30 = V_ADD(c##30, V_MUL(v3_, b0_)), c##31 = V_ADD(c##31, V_MUL(v3_, b1_));             \
  } while (0)
/* Partial sums read back from rows p0 … p3 (a sum stored and reloaded keeps its value), and
 * stored there. */
#define BLOCK_LOAD(c, p0, p1, p2, p3)                                                          \
  (c##00 = V_LOAD(p0), c##01 = V_LOAD((p0) + VW), c##10 = V_LOAD(p1), c##11 = V_LOAD((p1) + VW), \
   c##20 = V_LOAD(p2), c##21 = V_LOAD((p2) + VW), c##30 = V_LOAD(p3), c##31 = V_LOAD((p3) + VW))
#define BLOCK_STORE(c, p0, p1, p2, p3)                                                         \
  (V_STORE(p0, c##00), V_STORE((p0) + VW, c##01), V_STORE(p1, c##10), V_STORE((p1) + VW, c##11), \
   V_STORE(p2, c##20), V_STORE((p2) + VW, c##21), V_STORE(p3, c##30), V_STORE((p3) + VW, c##31))
/* The finished block through the epilogue, its row q at offset oq of out and aux. */
#define BLOCK_FINISH(e, c, out, aux, o0, o1, o2, o3)                                           \
  do {                                                                                         \
    finish(e, c##00, (out) + (o0), (aux) + (o0));                                              \
    finish(e, c##01, (out) + (o0) + VW, (aux) + (o0) + VW);                                    \
    finish(e, c##10, (out) + (o1), (aux) + (o1));                                              \
    finish(e, c##11, (out) + (o1) + VW, (aux) + (o1) + VW);                                    \
    finish(e, c##20, (out) + (o2), (aux) + (o2));                                              \
    finish(e, c##21, (out) + (o2) + VW, (aux) + (o2) + VW);                                    \
    finish(e, c##30, (out) + (o3), (aux) + (o3));                                              \
    finish(e, c##31, (out) + (o3) + VW, (aux) + (o3) + VW);                                    \
  } while (0)

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
      BLOCK(c, init ? V_LOAD(init + j) : zero, init ? V_LOAD(init + j + VW) : zero);
      const float *b = B + j;
      for (int i = 0; i < k; i++, b += sb) {
        BLOCK_ADD(c, V_LOAD_SPLAT(a0 + i), V_LOAD_SPLAT(a1 + i), V_LOAD_SPLAT(a2 + i),
                  V_LOAD_SPLAT(a3 + i), V_LOAD(b), V_LOAD(b + VW));
      }
      size_t o = (size_t)r * sb + j;
      BLOCK_FINISH(e, c, out, aux, o, o + sb, o + 2 * sb, o + 3 * sb);
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

/* out[r][j] = activation(bias[j] + col[r]·w[j]), rows of s floats, what backward needs kept in
 * aux: the first layer's forward, a product whose inner dimension is 1. (Backward's products
 * with one column are output_backward's and column_sums'.) */
PRODUCT product_outer(int n, const float *col, const float *w, int s, const float *bias,
                      float *out, float *aux) {
  for (int r = 0; r < n; r++) {
    vf a = V_SPLAT(col[r]);
    for (int j = 0; j < s; j += VW) {
      size_t o = (size_t)r * s + j;
      finish(ACTIVATE, V_ADD(V_LOAD(bias + j), V_MUL(a, V_LOAD(w + j))), out + o, aux + o);
    }
  }
}

/* out[r] = init + Σ_{i<k} A[r][i]·w[i], over i in order, A with rows of s floats: a product
 * with one output column. VW rows at a time, VW × VW blocks transposed so the vector runs across
 * rows; the last block of columns may reach into the row's padding (s is a multiple of 2·VW, so
 * it is there to load), whose columns stay out of the sum. */
PRODUCT product_column(int n, const float *A, int s, int k, const float *w, float init,
                       float *out) {
  int r = 0;
  for (; r + VW <= n; r += VW) {
    const float *a = A + (size_t)r * s;
    vf acc = V_SPLAT(init);
    for (int i = 0; i < k; i += VW) {
      vf c[VW];
      for (int q = 0; q < VW; q++) c[q] = V_LOAD(a + (size_t)q * s + i);
      V_TRANSPOSE(c);
      int m = k - i < VW ? k - i : VW;
      for (int q = 0; q < m; q++) acc = V_ADD(acc, V_MUL(c[q], V_SPLAT(w[i + q])));
    }
    V_STORE(out + r, acc);
  }
  for (; r < n; r++) {
    const float *a = A + (size_t)r * s;
    float acc = init;
    for (int i = 0; i < k; i++) acc = acc + a[i] * w[i];
    out[r] = acc;
  }
}

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
        BLOCK(c, V_SPLAT(0.0f), V_SPLAT(0.0f));
        if (start > 0) BLOCK_LOAD(c, o0, o1, o2, o3);
        const float *ar = A + (size_t)start * sa + a, *dr = D + (size_t)start * sd + b;
        for (int r = start; r < end; r++, ar += sa, dr += sd) {
          BLOCK_ADD(c, V_LOAD_SPLAT(ar), V_LOAD_SPLAT(ar + 1), V_LOAD_SPLAT(ar + 2),
                    V_LOAD_SPLAT(ar + 3), V_LOAD(dr), V_LOAD(dr + VW));
        }
        BLOCK_STORE(c, o0, o1, o2, o3);
      }
    }
  }
}

/*
 * The sums over the rows of a layer with one input or one output, in one pass so that their
 * chains of dependent additions overlap (each alone waits on its additions, some 4 cycles each):
 * out[j] = Σ_{r<n} A[r][j]·col[r] (the layer's weight gradient), and, unless `sums` is NULL,
 * sums[j] = Σ_{r<n} A[r][j] (tfjs' Sum along an axis: a bias gradient); each over r in order
 * from +0, A with rows of s floats.
 */
PRODUCT column_sums(int n, const float *A, int s, const float *col, float *out, float *sums) {
  const vf zero = V_SPLAT(0.0f);
  for (int j = 0; j < s; j += CB) {
    vf c0 = zero, c1 = zero, s0 = zero, s1 = zero;
    const float *a = A + j;
    for (int r = 0; r < n; r++, a += s) {
      const vf v = V_SPLAT(col[r]), a0 = V_LOAD(a), a1 = V_LOAD(a + VW);
      c0 = V_ADD(c0, V_MUL(a0, v));
      c1 = V_ADD(c1, V_MUL(a1, v));
      s0 = V_ADD(s0, a0);
      s1 = V_ADD(s1, a1);
    }
    V_STORE(out + j, c0);
    V_STORE(out + j + VW, c1);
    if (sums) V_STORE(sums + j, s0), V_STORE(sums + j + VW, s1);
  }
}

/*
 * The output layer's backward from ∂L/∂out (`dout`), in one pass over the rows for the same
 * reason: its weight gradient gw[j] = Σ_r A[r][j]·dout[r] and bias gradient *gb = Σ_r dout[r],
 * ∂L/∂z of the last hidden layer dz[r][j] = (0 + dout[r]·w[j]) times the slope (`slope`, its
 * rows of s floats; the product from +0, as tfjs' product of dout by wᵀ gives it), and that
 * layer's bias gradient dz_sums[j] = Σ_r dz[r][j]; every sum over r in order from +0.
 */
PRODUCT output_backward(int n, const float *A, int s, const float *dout, const float *w,
                        const float *slope, float *gw, float *gb, float *dz, float *dz_sums) {
  const vf zero = V_SPLAT(0.0f);
  float total = 0.0f;
  for (int j = 0; j < s; j += CB) {
    vf c0 = zero, c1 = zero, s0 = zero, s1 = zero;
    const vf w0 = V_LOAD(w + j), w1 = V_LOAD(w + j + VW);
    for (int r = 0; r < n; r++) {
      const size_t o = (size_t)r * s + j;
      const vf v = V_SPLAT(dout[r]);
      c0 = V_ADD(c0, V_MUL(V_LOAD(A + o), v));
      c1 = V_ADD(c1, V_MUL(V_LOAD(A + o + VW), v));
      const vf d0 = times_slope(V_ADD(zero, V_MUL(v, w0)), slope + o);
      const vf d1 = times_slope(V_ADD(zero, V_MUL(v, w1)), slope + o + VW);
      V_STORE(dz + o, d0);
      V_STORE(dz + o + VW, d1);
      s0 = V_ADD(s0, d0);
      s1 = V_ADD(s1, d1);
      if (j == 0) total = total + dout[r];
    }
    V_STORE(gw + j, c0);
    V_STORE(gw + j + VW, c1);
    V_STORE(dz_sums + j, s0);
    V_STORE(dz_sums + j + VW, s1);
  }
  *gb = total;
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
