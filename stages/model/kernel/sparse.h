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
 * the middle layers' three products (forward and dz·Wᵀ: grouped_rows; Aᵀ·dz: sparse_gram) do
 * about half the arithmetic.
 */

/* Rows of sparse_gram whose lists of nonzeros are made at once; a target may set it. */
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

/*
 * Copies B (k rows of sb floats) into PACKED as panels of CB columns, each k × CB and contiguous:
 * a panel stays in L1 where B's rows, a power of two apart, would evict each other. Returns
 * whether every value is finite.
 */
static int pack_panels(int k, const float *B, int sb) {
  vf bad = V_SPLAT(0.0f);
  float *to = PACKED;
  for (int j = 0; j < sb; j += CB) {
    for (int i = 0; i < k; i++, to += CB) {
      for (int v = 0; v < CB; v += VW) {
        vf x = V_LOAD(B + (size_t)i * sb + j + v);
        bad = V_OR(bad, NOT_FINITE(x));
        V_STORE(to + v, x);
      }
    }
  }
  return !V_ANY_TRUE(bad);
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

/* The widest inner dimension grouped_rows takes, in words of 64 bits of its row masks. */
#define GROUPED_WORDS (MAX_WIDTH / 64)

/* Bits i < k of a row where a[i] is not zero (NaN included), OR-ed into words[]; the row padded
 * to whole vectors. */
static inline void row_bits(const float *a, int k, uint64_t *words) {
  for (int i = 0; i < k; i += VW) {
    uint64_t bits = (uint64_t)V_NONZERO_BITS(V_LOAD(a + i));
    if (k - i < VW) bits &= (1ull << (k - i)) - 1u;
    words[i / 64] |= bits << (i % 64);
  }
}

/* Rows of grouped_rows whose masks are made at once. A multiple of 4. */
#define GROUPED_ROWS 32

/*
 * product_rows' result for a sparse A (a ReLU layer's output, or dz), rows taken four at a time in
 * `order` (a permutation of 0 … n−1; rows are independent, so their order changes no value): the
 * four run over the union of their nonzero columns, in order of i, so that a zero the four share
 * is skipped and the inner loop stays product_rows' own. Rows that are alike (a 1-D input sorted:
 * order_rows) have alike zeros. B is packed into panels; GROUPED_ROWS rows have their masks made
 * at once, then each panel serves all of them. Falls back to product_rows where a skip could
 * change a bit: B not finite, or a bias that no ReLU follows.
 */
PRODUCT grouped_rows(int n, int k, const float *A, int sa, const float *B, int sb,
                     const float *init, enum Epilogue e, float *out, float *aux,
                     const int32_t *order) {
  if ((init && !(e == ACTIVATE && ACT == RELU)) || !pack_panels(k, B, sb)) {
    product_rows(n, k, A, sa, B, sb, init, e, out, aux);
    return;
  }
  const vf zero = V_SPLAT(0.0f);
  const int words = (k + 63) / 64;
  uint64_t live[GROUPED_ROWS / 4][GROUPED_WORDS];
  int q = 0;
  while (n - q >= 4) {
    const int m = n - q < GROUPED_ROWS ? (n - q) / 4 * 4 : GROUPED_ROWS;
    for (int g = 0; g < m / 4; g++) {
      for (int w = 0; w < words; w++) live[g][w] = 0;
      for (int t = 0; t < 4; t++) row_bits(A + (size_t)order[q + 4 * g + t] * sa, k, live[g]);
    }
    for (int j = 0; j < sb; j += CB) {
      const float *panel = PACKED + (size_t)j * k;
      const vf i0 = init ? V_LOAD(init + j) : zero, i1 = init ? V_LOAD(init + j + VW) : zero;
      for (int g = 0; g < m / 4; g++) {
        const int32_t *rows = order + q + 4 * g;
        const float *a0 = A + (size_t)rows[0] * sa, *a1 = A + (size_t)rows[1] * sa;
        const float *a2 = A + (size_t)rows[2] * sa, *a3 = A + (size_t)rows[3] * sa;
        vf c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1, c30 = i0, c31 = i1;
        for (int w = 0; w < words; w++) {
          for (uint64_t bits = live[g][w]; bits; bits &= bits - 1) {
            const int i = 64 * w + __builtin_ctzll(bits);
            const float *b = panel + (size_t)i * CB;
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
        }
        const size_t o0 = (size_t)rows[0] * sb + j, o1 = (size_t)rows[1] * sb + j;
        const size_t o2 = (size_t)rows[2] * sb + j, o3 = (size_t)rows[3] * sb + j;
        finish(e, c00, out + o0, aux + o0);
        finish(e, c01, out + o0 + VW, aux + o0 + VW);
        finish(e, c10, out + o1, aux + o1);
        finish(e, c11, out + o1 + VW, aux + o1 + VW);
        finish(e, c20, out + o2, aux + o2);
        finish(e, c21, out + o2 + VW, aux + o2 + VW);
        finish(e, c30, out + o3, aux + o3);
        finish(e, c31, out + o3 + VW, aux + o3 + VW);
      }
    }
    q += m;
  }
  for (; q < n; q++) {
    const float *a = A + (size_t)order[q] * sa;
    uint64_t bits1[GROUPED_WORDS] = {0};
    row_bits(a, k, bits1);
    for (int j = 0; j < sb; j += VW) {
      vf c = init ? V_LOAD(init + j) : zero;
      for (int w = 0; w < words; w++) {
        for (uint64_t bits = bits1[w]; bits; bits &= bits - 1) {
          const int i = 64 * w + __builtin_ctzll(bits);
          c = V_ADD(c, V_MUL(V_LOAD_SPLAT(a + i), V_LOAD(B + (size_t)i * sb + j)));
        }
      }
      const size_t o = (size_t)order[q] * sb + j;
      finish(e, c, out + o, aux + o);
    }
  }
}

/*
 * order[0 … n−1]: the rows 0 … n−1 sorted by key (a stable merge sort; NaN keys land anywhere),
 * with tmp n ints of room. Under ReLU a 1-D input's hidden units are zero on intervals of it, so
 * rows sorted by input share their zeros: grouped_rows' four rows then skip what each skips.
 */
static void order_rows(int n, const float *key, int32_t *order, int32_t *tmp) {
  for (int r = 0; r < n; r++) order[r] = r;
  int32_t *from = order, *to = tmp;
  for (int w = 1; w < n; w *= 2) {
    for (int lo = 0; lo < n; lo += 2 * w) {
      int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int a = lo, b = mid, t = lo;
      while (a < mid && b < hi) to[t++] = key[from[b]] < key[from[a]] ? from[b++] : from[a++];
      while (a < mid) to[t++] = from[a++];
      while (b < hi) to[t++] = from[b++];
    }
    int32_t *swap = from;
    from = to;
    to = swap;
  }
  if (from != order) for (int r = 0; r < n; r++) order[r] = from[r];
}
