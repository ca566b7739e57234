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
 * the middle layers' three products (forward and dz·Wᵀ: grouped_rows; Aᵀ·dz: grouped_gram) do
 * about half the arithmetic. Both keep product_rows' inner loop, 4 rows or units × 2 vectors
 * with the sums in registers, and skip what the four have in common: rows alike (a 1-D input's
 * network is zero on intervals of the input, so rows sorted by it share their zeros), or units
 * zero on the same rows.
 */

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

/* Words of 64 bits of a row's mask of nonzero columns, for the widest rows. */
#define GROUPED_WORDS (MAX_WIDTH / 64)

/* Bits i < k where any of the `count` rows a[0 … count−1] is not zero (NaN included), into
 * words[0 … ⌈k/64⌉−1]; the rows padded to whole vectors. Each word is made in a register and
 * stored once (OR-ed into memory row by row, its stores and reloads made a chain). */
static inline void rows_bits(int count, const float *const *a, int k, uint64_t *words) {
  for (int w = 0; 64 * w < k; w++) {
    const int from = 64 * w, end = k - from < 64 ? k - from : 64;
    uint64_t word = 0;
    for (int t = 0; t < count; t++) {
      for (int i = 0; i < end; i += VW) {
        uint64_t bits = (uint64_t)V_NONZERO_BITS(V_LOAD(a[t] + from + i));
        if (end - i < VW) bits &= (1ull << (end - i)) - 1u;
        word |= bits << i;
      }
    }
    words[w] = word;
  }
}

/* Rows of grouped_rows whose masks are made at once. A multiple of 4. */
#define GROUPED_ROWS 32
/* Bytes a product keeps in the L2 while it goes through the rows: half of a 2 MiB L2. grouped_rows
 * takes B's panels a tile of this many bytes at a time, so that wide layers' B (4 MiB at 1024 ×
 * 1024) is read from the L2, not memory, row after row; grouped_gram takes more rows at a time
 * once its out is this large. */
#define L2_KEPT_BYTES (1 << 20)

/*
 * grouped_rows' columns from … to − 1 (whole panels of the packed B, or the end of the row).
 */
static inline void grouped_columns(int n, int k, const float *A, int sa, const float *B, int sb,
                                   const float *init, enum Epilogue e, float *out, float *aux,
                                   const int32_t *order, int from, int to) {
  const vf zero = V_SPLAT(0.0f);
  const int words = (k + 63) / 64;
  uint64_t live[GROUPED_ROWS / 4][GROUPED_WORDS];
  int q = 0;
  while (n - q >= 4) {
    const int m = n - q < GROUPED_ROWS ? (n - q) / 4 * 4 : GROUPED_ROWS;
    for (int g = 0; g < m / 4; g++) {
      const int32_t *rows = order + q + 4 * g;
      const float *four[4] = {A + (size_t)rows[0] * sa, A + (size_t)rows[1] * sa,
                              A + (size_t)rows[2] * sa, A + (size_t)rows[3] * sa};
      rows_bits(4, four, k, live[g]);
    }
    for (int j = from; j < to; j += CB) {
      const float *panel = PACKED + (size_t)j * k;
      const vf i0 = init ? V_LOAD(init + j) : zero, i1 = init ? V_LOAD(init + j + VW) : zero;
      for (int g = 0; g < m / 4; g++) {
        const int32_t *rows = order + q + 4 * g;
        const float *a0 = A + (size_t)rows[0] * sa, *a1 = A + (size_t)rows[1] * sa;
        const float *a2 = A + (size_t)rows[2] * sa, *a3 = A + (size_t)rows[3] * sa;
        BLOCK(c, i0, i1);
        for (int w = 0; w < words; w++) {
          for (uint64_t bits = live[g][w]; bits; bits &= bits - 1) {
            const int i = 64 * w + __builtin_ctzll(bits);
            const float *b = panel + (size_t)i * CB;
            BLOCK_ADD(c, V_LOAD_SPLAT(a0 + i), V_LOAD_SPLAT(a1 + i), V_LOAD_SPLAT(a2 + i),
                      V_LOAD_SPLAT(a3 + i), V_LOAD(b), V_LOAD(b + VW));
          }
        }
        BLOCK_FINISH(e, c, out, aux, (size_t)rows[0] * sb + j, (size_t)rows[1] * sb + j,
                     (size_t)rows[2] * sb + j, (size_t)rows[3] * sb + j);
      }
    }
    q += m;
  }
  for (; q < n; q++) {
    const float *a = A + (size_t)order[q] * sa;
    uint64_t bits1[GROUPED_WORDS];
    rows_bits(1, &a, k, bits1);
    for (int j = from; j < to; j += VW) {
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
 * product_rows' result for a sparse A (a ReLU layer's output, or dz), rows taken four at a time in
 * `order` (a permutation of 0 … n−1; rows are independent, so their order changes no value): the
 * four run over the union of their nonzero columns, in order of i, so that a zero the four share
 * is skipped and the inner loop stays product_rows' own. Rows that are alike (a 1-D input sorted:
 * order_windows) have alike zeros. B is packed into panels, taken a tile of L2_KEPT_BYTES at a
 * time through all the rows; GROUPED_ROWS rows have their masks made at once, then each panel of
 * the tile serves all of them. Falls back to product_rows where a skip could change a bit: B not
 * finite, or a bias that no ReLU follows.
 */
PRODUCT grouped_rows(int n, int k, const float *A, int sa, const float *B, int sb,
                     const float *init, enum Epilogue e, float *out, float *aux,
                     const int32_t *order) {
  if ((init && !(e == ACTIVATE && ACT == RELU)) || !pack_panels(k, B, sb)) {
    product_rows(n, k, A, sa, B, sb, init, e, out, aux);
    return;
  }
  /* Columns of a tile: whole panels, at least one. */
  int tile = L2_KEPT_BYTES / (k * CB * 4) * CB;
  tile = tile < CB ? CB : tile;
  for (int from = 0; from < sb; from += tile) {
    grouped_columns(n, k, A, sa, B, sb, init, e, out, aux, order, from,
                    from + tile < sb ? from + tile : sb);
  }
}

/*
 * order[0 … n−1]: 0 … n−1 sorted by fkey, or (fkey NULL) by ukey, ascending: a stable merge sort
 * with tmp n ints of room (NaN keys land anywhere). Only the products' speed depends on it.
 */
static void sort_order(int n, const float *fkey, const uint64_t *ukey, int32_t *order,
                       int32_t *tmp) {
  for (int r = 0; r < n; r++) order[r] = r;
  int32_t *from = order, *to = tmp;
  for (int w = 1; w < n; w *= 2) {
    for (int lo = 0; lo < n; lo += 2 * w) {
      int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int a = lo, b = mid, t = lo;
      while (a < mid && b < hi) {
        int later = fkey ? fkey[from[b]] < fkey[from[a]] : ukey[from[b]] < ukey[from[a]];
        to[t++] = later ? from[b++] : from[a++];
      }
      while (a < mid) to[t++] = from[a++];
      while (b < hi) to[t++] = from[b++];
    }
    int32_t *swap = from;
    from = to;
    to = swap;
  }
  if (from != order) for (int r = 0; r < n; r++) order[r] = from[r];
}

/*
 * order[0 … n−1]: the rows by key in windows of a hidden layer's rows (`stride` floats each) of
 * WINDOW_BYTES, at least 256 rows, each window sorted on its own (tmp: n ints of room): a window
 * stays in L2 while grouped_rows goes through it in an order that is random in memory (measured
 * best of 256 KiB, 1 and 4 MiB).
 */
#define WINDOW_BYTES (1 << 18)
static void order_windows(int n, int stride, const float *key, int32_t *order,
                          int32_t *tmp) {
  int window = WINDOW_BYTES / 4 / stride;
  if (window < 256) window = 256;
  for (int lo = 0; lo < n; lo += window) {
    int m = n - lo < window ? n - lo : window;
    sort_order(m, key + lo, 0, order + lo, tmp);
    for (int r = lo; r < lo + m; r++) order[r] += lo;
  }
}

/* rank[r]: the place of row r among the n rows sorted by key (order and tmp: n ints of room). */
static void ranks(int n, const float *key, int32_t *rank, int32_t *order, int32_t *tmp) {
  sort_order(n, key, 0, order, tmp);
  for (int i = 0; i < n; i++) rank[order[i]] = i;
}

/* Buckets of batch_order's counting sort. */
#define BATCH_BUCKETS 256

/*
 * order[0 … m−1]: the rows of a minibatch (rows[j] of n, each ranked by rank[]) by their rank,
 * in BATCH_BUCKETS buckets of it (a counting sort: a minibatch's rows are sorted each step, so it
 * must cost little; within a bucket they keep their order).
 */
static void batch_order(int m, const int32_t *rows, const int32_t *rank, int n, int32_t *order) {
  int start[BATCH_BUCKETS + 1] = {0};
  for (int j = 0; j < m; j++) start[(int64_t)rank[rows[j]] * BATCH_BUCKETS / n + 1]++;
  for (int b = 0; b < BATCH_BUCKETS; b++) start[b + 1] += start[b];
  for (int j = 0; j < m; j++) order[start[(int64_t)rank[rows[j]] * BATCH_BUCKETS / n]++] = j;
}

/*
 * A group's rows: the q < n (a multiple of 8) whose mask (words of 64 bits, word w of row q at
 * masks[w·n + q]) shares a bit with group[], in order, into list; returns how many. A branch-free
 * loop, unless the target has a vector one (TARGET_LIVE_ROWS).
 */
#ifndef TARGET_LIVE_ROWS
static inline int live_rows(int n, int words, const uint64_t *masks, const uint64_t *group,
                            int32_t *list) {
  int c = 0;
  for (int q = 0; q < n; q++) {
    uint64_t any = 0;
    for (int w = 0; w < words; w++) any |= masks[(size_t)w * n + q] & group[w];
    list[c] = q;
    c += any != 0;
  }
  return c;
}
#endif

/*
 * product_gram's result (out = Aᵀ·D over n rows, sa × sd) for a sparse A, with the sums in
 * registers: the units (rows of out) are taken four at a time, grouped so that the four are zero
 * on about the same rows (units sorted by their zeros on 64 rows spread along `order`), and each
 * four run over the rows where any of them is nonzero, in order of r, a chunk of rows at a time
 * (a partial sum is stored and reloaded between chunks, which changes no value). A row of D with
 * a value that is not finite is a row for every unit.
 */
PRODUCT grouped_gram(int n, const float *A, int sa, const float *D, int sd, float *out,
                     const int32_t *order) {
  const int words = (sa + 63) / 64, groups = sa / 4;
  /* Each unit's zeros on 64 rows along `order`, the first in the top bit; units by that. */
  uint64_t *sig = GRAM_SIG;
  for (int a = 0; a < sa; a++) sig[a] = 0;
  const int samples = n < 64 ? n : 64;
  for (int p = 0; p < samples; p++) {
    uint64_t m[GROUPED_WORDS];
    const float *row = A + (size_t)order[(size_t)p * n / samples] * sa;
    rows_bits(1, &row, sa, m);
    for (int w = 0; w < words; w++) {
      for (uint64_t bits = m[w]; bits; bits &= bits - 1) {
        sig[64 * w + __builtin_ctzll(bits)] |= 1ull << (63 - p);
      }
    }
  }
  int32_t *units = GRAM_UNITS;
  sort_order(sa, 0, sig, units, GRAM_UNITS_ROOM);
  uint64_t *group_bits = GRAM_GROUPS;
  for (int g = 0; g < groups; g++) {
    uint64_t *gb = group_bits + (size_t)g * words;
    for (int w = 0; w < words; w++) gb[w] = 0;
    for (int t = 0; t < 4; t++) gb[units[4 * g + t] / 64] |= 1ull << (units[4 * g + t] % 64);
  }
  int counts[MAX_WIDTH / 4];
  /* Rows of a chunk: their A (32 KiB) and D's panels stay in cache while every group runs; but
   * GRAM_CHUNK once out leaves no room in the L2 for them, as out is read and written once a chunk
   * (8 rows at width 1024 had wide layers wait on memory); a multiple of 8, for live_rows. */
  int chunk = 8192 / sa / 8 * 8;
  if ((size_t)sa * sd * 4 >= L2_KEPT_BYTES) chunk = GRAM_CHUNK;
  chunk = chunk > GRAM_CHUNK ? GRAM_CHUNK : chunk < 8 ? 8 : chunk;
  uint64_t *masks = GRAM_MASKS;
  for (int start = 0; start < n; start += chunk) {
    const int rows = start + chunk < n ? chunk : n - start;
    /* D's rows in panels of CB columns, contiguous (rows of D a power of two apart would evict
     * each other from L1); each row's mask of nonzero units, word by word, all ones where D is
     * not finite, and zero past the last row. */
    for (int q = 0; q < chunk; q++) {
      for (int w = 0; w < words; w++) masks[(size_t)w * chunk + q] = 0;
      if (q >= rows) continue;
      const float *dr = D + (size_t)(start + q) * sd;
      vf bad = V_SPLAT(0.0f);
      for (int b = 0; b < sd; b += CB) {
        vf d0 = V_LOAD(dr + b), d1 = V_LOAD(dr + b + VW);
        bad = V_OR(bad, V_OR(NOT_FINITE(d0), NOT_FINITE(d1)));
        float *to = GRAM_PANELS + (size_t)b * chunk + (size_t)q * CB;
        V_STORE(to, d0), V_STORE(to + VW, d1);
      }
      uint64_t m[GROUPED_WORDS];
      const float *row = A + (size_t)(start + q) * sa;
      rows_bits(1, &row, sa, m);
      const uint64_t all = V_ANY_TRUE(bad) ? ~0ull : 0;
      for (int w = 0; w < words; w++) masks[(size_t)w * chunk + q] = m[w] | all;
    }
    for (int g = 0; g < groups; g++) {
      counts[g] = live_rows(chunk, words, masks, group_bits + (size_t)g * words,
                            GRAM_LISTS + (size_t)g * GRAM_CHUNK);
    }
    for (int b = 0; b < sd; b += CB) {
      const float *panel = GRAM_PANELS + (size_t)b * chunk;
      for (int g = 0; g < groups; g++) {
        const int u0 = units[4 * g], u1 = units[4 * g + 1], u2 = units[4 * g + 2];
        const int u3 = units[4 * g + 3];
        float *o0 = out + (size_t)u0 * sd + b, *o1 = out + (size_t)u1 * sd + b;
        float *o2 = out + (size_t)u2 * sd + b, *o3 = out + (size_t)u3 * sd + b;
        BLOCK(c, V_SPLAT(0.0f), V_SPLAT(0.0f));
        if (start > 0) BLOCK_LOAD(c, o0, o1, o2, o3);
        const int32_t *list = GRAM_LISTS + (size_t)g * GRAM_CHUNK;
        const float *a = A + (size_t)start * sa;
        for (int t = 0, count = counts[g]; t < count; t++) {
          const int q = list[t];
          const float *ar = a + (size_t)q * sa, *dr = panel + (size_t)q * CB;
          BLOCK_ADD(c, V_LOAD_SPLAT(ar + u0), V_LOAD_SPLAT(ar + u1), V_LOAD_SPLAT(ar + u2),
                    V_LOAD_SPLAT(ar + u3), V_LOAD(dr), V_LOAD(dr + VW));
        }
        BLOCK_STORE(c, o0, o1, o2, o3);
      }
    }
  }
}
