/*
 * Products that skip ReLU's zeros, with the bits of the dense ones in products.h: part of
 * train_step.c, which includes the kernel's headers in order into one translation unit.
 *
 * Why the bits stay: a term a·b with a = ±0 and b finite is ±0, and acc + ±0 is acc, but for
 * acc = −0 and a +0 term, which gives +0. A sum from +0 never reaches −0 (+0 + −0 is +0 and
 * x + −x is +0), so leaving such terms out changes no sum that starts from +0: the weights'
 * gradients and backward's dz·Wᵀ. A forward sum starts from the bias, which may be −0: then the
 * sum may end −0 instead of +0, and ReLU makes both +0. So each product below skips a zero only
 * where b is finite (else 0·b is NaN and must be added), and the forward one only under ReLU.
 *
 * A ReLU layer's outputs are zero for about half the units, and dz is zero wherever they are, so
 * the middle layers' three products (forward, dz·Wᵀ, Aᵀ·dz) do about half the arithmetic.
 */

/* Rows whose lists of nonzeros are made at once: their lists stay in cache while each block of
 * columns of B, also in cache, is reused by all of them. A multiple of 4; a target may set it. */
#ifndef SPARSE_ROWS
#define SPARSE_ROWS 32
#endif
/* Room for a row's list: the widest row and a vector of slack (nonzeros() stores whole ones). */
#define LIST_ROOM (MAX_WIDTH + 2 * VW)
STATE int32_t LIST_OFF[SPARSE_ROWS][LIST_ROOM];
STATE float LIST_VAL[SPARSE_ROWS][LIST_ROOM];
STATE int LIST_LEN[SPARSE_ROWS];

/* Lanes where v is not finite (x − x is 0 exactly when x is finite). */
#define NOT_FINITE(v) V_NE(V_SUB(v, v), V_SPLAT(0.0f))

/* Columns of a panel of B: 4 vectors, for 2 rows × 4 accumulators. */
#define PB (2 * CB)

/*
 * Copies B (k rows of sb floats) into PACKED as panels of PB columns (the last one CB where sb
 * is an odd number of CB), each k × its width and contiguous: a panel stays in L1 where B's rows,
 * a power of two apart, would evict each other. Returns whether every value is finite.
 */
static int pack_panels(int k, const float *B, int sb) {
  vf bad = V_SPLAT(0.0f);
  float *to = PACKED;
  for (int j = 0; j < sb; j += PB) {
    int w = sb - j >= PB ? PB : CB;
    for (int i = 0; i < k; i++, to += w) {
      for (int v = 0; v < w; v += VW) {
        vf x = V_LOAD(B + (size_t)i * sb + j + v);
        bad = V_OR(bad, NOT_FINITE(x));
        V_STORE(to + v, x);
      }
    }
  }
  return !V_ANY_TRUE(bad);
}

/*
 * product_rows' result (products.h) for a sparse A (a ReLU layer's output, or dz): each row's sum
 * runs over its nonzero A[r][i] only, in order of i. B is packed into panels; SPARSE_ROWS rows
 * are listed at a time, then each panel runs over all of them, two rows at a time with 4 vectors
 * each (four rows with 2 in a last panel of CB). Falls back to product_rows where a skip could
 * change a bit: B not finite, or a bias that no ReLU follows.
 */
PRODUCT sparse_rows(int n, int k, const float *A, int sa, const float *B, int sb,
                    const float *init, enum Epilogue e, float *out, float *aux) {
  if ((init && !(e == ACTIVATE && ACT == RELU)) || !pack_panels(k, B, sb)) {
    product_rows(n, k, A, sa, B, sb, init, e, out, aux);
    return;
  }
  const vf zero = V_SPLAT(0.0f);
  int r = 0;
  while (n - r >= 4) {
    int m = n - r < SPARSE_ROWS ? (n - r) / 4 * 4 : SPARSE_ROWS;
    /* The rows by the length of their lists, so that each four padded to the longest of them
     * waste little (rows are independent: their order changes no value). */
    int order[SPARSE_ROWS];
    for (int q = 0; q < m; q++) {
      /* offsets i·CB, rows of a panel of CB; a panel of PB takes twice them */
      LIST_LEN[q] = nonzeros(A + (size_t)(r + q) * sa, k, CB, LIST_OFF[q], LIST_VAL[q]);
      int at = q;
      for (; at > 0 && LIST_LEN[order[at - 1]] > LIST_LEN[q]; at--) order[at] = order[at - 1];
      order[at] = q;
    }
    for (int g = 0; g < m; g += 4) {
      int longest = LIST_LEN[order[g + 3]];
      for (int q = g; q < g + 3; q++) {
        int32_t *off = LIST_OFF[order[q]];
        float *val = LIST_VAL[order[q]];
        for (int t = LIST_LEN[order[q]]; t < longest; t++) off[t] = 0, val[t] = 0.0f;
      }
    }
    for (int j = 0; j < sb; j += PB) {
      const float *b = PACKED + (size_t)j * k;
      if (sb - j < PB) {
        vf i0 = init ? V_LOAD(init + j) : zero, i1 = init ? V_LOAD(init + j + VW) : zero;
        for (int g = 0; g < m; g += 4) {
          const int q0 = order[g], q1 = order[g + 1], q2 = order[g + 2], q3 = order[g + 3];
          const int32_t *o0 = LIST_OFF[q0], *o1 = LIST_OFF[q1];
          const int32_t *o2 = LIST_OFF[q2], *o3 = LIST_OFF[q3];
          const float *v0 = LIST_VAL[q0], *v1 = LIST_VAL[q1], *v2 = LIST_VAL[q2], *v3 = LIST_VAL[q3];
          vf c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1, c30 = i0, c31 = i1;
          for (int t = 0, end = LIST_LEN[q3]; t < end; t++) {
            const float *b0 = b + o0[t], *b1 = b + o1[t], *b2 = b + o2[t], *b3 = b + o3[t];
            vf a0 = V_LOAD_SPLAT(v0 + t), a1 = V_LOAD_SPLAT(v1 + t);
            vf a2 = V_LOAD_SPLAT(v2 + t), a3 = V_LOAD_SPLAT(v3 + t);
            c00 = V_ADD(c00, V_MUL(a0, V_LOAD(b0)));
            c01 = V_ADD(c01, V_MUL(a0, V_LOAD(b0 + VW)));
            c10 = V_ADD(c10, V_MUL(a1, V_LOAD(b1)));
            c11 = V_ADD(c11, V_MUL(a1, V_LOAD(b1 + VW)));
            c20 = V_ADD(c20, V_MUL(a2, V_LOAD(b2)));
            c21 = V_ADD(c21, V_MUL(a2, V_LOAD(b2 + VW)));
            c30 = V_ADD(c30, V_MUL(a3, V_LOAD(b3)));
            c31 = V_ADD(c31, V_MUL(a3, V_LOAD(b3 + VW)));
          }
          size_t o0_ = (size_t)(r + q0) * sb + j, o1_ = (size_t)(r + q1) * sb + j;
          size_t o2_ = (size_t)(r + q2) * sb + j, o3_ = (size_t)(r + q3) * sb + j;
          finish(e, c00, out + o0_, aux + o0_);
          finish(e, c01, out + o0_ + VW, aux + o0_ + VW);
          finish(e, c10, out + o1_, aux + o1_);
          finish(e, c11, out + o1_ + VW, aux + o1_ + VW);
          finish(e, c20, out + o2_, aux + o2_);
          finish(e, c21, out + o2_ + VW, aux + o2_ + VW);
          finish(e, c30, out + o3_, aux + o3_);
          finish(e, c31, out + o3_ + VW, aux + o3_ + VW);
        }
        continue;
      }
      vf i0 = init ? V_LOAD(init + j) : zero, i1 = init ? V_LOAD(init + j + VW) : zero;
      vf i2 = init ? V_LOAD(init + j + 2 * VW) : zero, i3 = init ? V_LOAD(init + j + 3 * VW) : zero;
      for (int g = 0; g < m; g += 2) {
        const int q0 = order[g], q1 = order[g + 1];
        const int32_t *o0 = LIST_OFF[q0], *o1 = LIST_OFF[q1];
        const float *v0 = LIST_VAL[q0], *v1 = LIST_VAL[q1];
        vf c00 = i0, c01 = i1, c02 = i2, c03 = i3, c10 = i0, c11 = i1, c12 = i2, c13 = i3;
        for (int t = 0, end = LIST_LEN[q1]; t < end; t++) {
          const float *b0 = b + o0[t] * 2, *b1 = b + o1[t] * 2;
          vf a0 = V_LOAD_SPLAT(v0 + t), a1 = V_LOAD_SPLAT(v1 + t);
          c00 = V_ADD(c00, V_MUL(a0, V_LOAD(b0)));
          c01 = V_ADD(c01, V_MUL(a0, V_LOAD(b0 + VW)));
          c02 = V_ADD(c02, V_MUL(a0, V_LOAD(b0 + 2 * VW)));
          c03 = V_ADD(c03, V_MUL(a0, V_LOAD(b0 + 3 * VW)));
          c10 = V_ADD(c10, V_MUL(a1, V_LOAD(b1)));
          c11 = V_ADD(c11, V_MUL(a1, V_LOAD(b1 + VW)));
          c12 = V_ADD(c12, V_MUL(a1, V_LOAD(b1 + 2 * VW)));
          c13 = V_ADD(c13, V_MUL(a1, V_LOAD(b1 + 3 * VW)));
        }
        size_t o0_ = (size_t)(r + q0) * sb + j, o1_ = (size_t)(r + q1) * sb + j;
        finish(e, c00, out + o0_, aux + o0_);
        finish(e, c01, out + o0_ + VW, aux + o0_ + VW);
        finish(e, c02, out + o0_ + 2 * VW, aux + o0_ + 2 * VW);
        finish(e, c03, out + o0_ + 3 * VW, aux + o0_ + 3 * VW);
        finish(e, c10, out + o1_, aux + o1_);
        finish(e, c11, out + o1_ + VW, aux + o1_ + VW);
        finish(e, c12, out + o1_ + 2 * VW, aux + o1_ + 2 * VW);
        finish(e, c13, out + o1_ + 3 * VW, aux + o1_ + 3 * VW);
      }
    }
    r += m;
  }
  if (r < n) {
    size_t o = (size_t)r * sb;
    product_rows(n - r, k, A + (size_t)r * sa, sa, B, sb, init, e, out + o, aux + o);
  }
}

/*
 * product_gram's result (out = Aᵀ·D over n rows, sa × sd) for a sparse A: every sum starts at
 * +0 and each row r adds A[r][a]·D[r][b] to row a for its nonzero A[r][a] only, so every output
 * still sums over r in order. The sums are kept in PACKED's panels of CB columns (one panel, sa
 * × CB, stays in L1 while SPARSE_ROWS rows update it) and copied out at the end. A row of D with
 * a value that is not finite adds all its terms.
 */
PRODUCT sparse_gram(int n, const float *A, int sa, const float *D, int sd, float *out) {
  for (size_t i = 0; i < (size_t)sa * sd; i++) PACKED[i] = 0.0f;
  for (int r = 0; r < n; r += SPARSE_ROWS) {
    int m = n - r < SPARSE_ROWS ? n - r : SPARSE_ROWS;
    for (int q = 0; q < m; q++) {
      LIST_LEN[q] = nonzeros(A + (size_t)(r + q) * sa, sa, CB, LIST_OFF[q], LIST_VAL[q]);
    }
    for (int b = 0; b < sd; b += CB) {
      float *panel = PACKED + (size_t)b * sa;
      for (int q = 0; q < m; q++) {
        const float *d = D + (size_t)(r + q) * sd + b;
        vf d0 = V_LOAD(d), d1 = V_LOAD(d + VW);
        if (V_ANY_TRUE(V_OR(NOT_FINITE(d0), NOT_FINITE(d1)))) {
          const float *a = A + (size_t)(r + q) * sa;
          for (int i = 0; i < sa; i++) {
            vf v = V_LOAD_SPLAT(a + i);
            float *p = panel + (size_t)i * CB;
            V_STORE(p, V_ADD(V_LOAD(p), V_MUL(v, d0)));
            V_STORE(p + VW, V_ADD(V_LOAD(p + VW), V_MUL(v, d1)));
          }
          continue;
        }
        const int32_t *off = LIST_OFF[q];
        const float *val = LIST_VAL[q];
        for (int t = 0, end = LIST_LEN[q]; t < end; t++) {
          vf v = V_LOAD_SPLAT(val + t);
          float *p = panel + off[t];
          V_STORE(p, V_ADD(V_LOAD(p), V_MUL(v, d0)));
          V_STORE(p + VW, V_ADD(V_LOAD(p + VW), V_MUL(v, d1)));
        }
      }
    }
  }
  for (int b = 0; b < sd; b += CB) {
    const float *panel = PACKED + (size_t)b * sa;
    for (int a = 0; a < sa; a++) {
      V_STORE(out + (size_t)a * sd + b, V_LOAD(panel + (size_t)a * CB));
      V_STORE(out + (size_t)a * sd + b + VW, V_LOAD(panel + (size_t)a * CB + VW));
    }
  }
}
