/*
 * The products: every matrix product of a step, each sum in tfjs' order: part of train_step.c, which includes the kernel's headers in order into one
 * translation unit (so that clang inlines across them and the build stays one source file).
 */

enum Epilogue { ACTIVATE, TIMES_SLOPE };

/* One finished output vector: activated (forward) or multiplied by the next slope (backward).
 * ReLU is spelled out here: clang leaves `activate` a call and `slope_of` a jump through a table,
 * which per vector cost ReLU networks some 5 % of an epoch. */
static inline void finish(enum Epilogue e, vf acc, float *out, float *aux) {
  if (ACT == RELU) V_STORE(out, e == ACTIVATE ? V_RELU(acc) : V_MUL(acc, V_STEP(V_LOAD(aux))));
  else if (e == ACTIVATE) activate(acc, out, aux);
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

