/*
 * The networks: network.ts' forward and backward passes on the products. Part of train_step.c,
 * which includes the kernel's headers in order into one translation unit (so that clang inlines
 * across them and the build stays one source file).
 */

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
        for (int j = 0; j < out; j++) L->w[i * STRIDE[l] + j] = k[i * out + j];
      }
      /* wt in blocks of 32 × 32: the block of k a block of wt reads stays in L1 (a whole column
       * of k, one line per float, does not from 1024 units on, nor k in the L2). */
      for (int j0 = 0; j0 < out; j0 += 32) {
        for (int i0 = 0; i0 < in; i0 += 32) {
          for (int j = j0; j < out && j < j0 + 32; j++) {
            for (int i = i0; i < in && i < i0 + 32; i++) {
              L->wt[j * STRIDE[l - 1] + i] = k[i * out + j];
            }
          }
        }
      }
    }
    for (int j = 0; j < out; j++) L->b[j] = b[j];
    p = b + out;
    in = out;
  }
}

/* product_rows' result by the faster product that gives it: under ReLU from GROUPED_MIN_WIDTH
 * units of A on (the target's measure), grouped_rows with the rows in `order`. The weight
 * gradients choose likewise, in backward. */
static inline void rows_product(int n, int k, const float *A, int sa, const float *B, int sb,
                                const float *init, enum Epilogue e, float *out, float *aux,
                                const int32_t *order) {
  if (ACT == RELU && k >= GROUPED_MIN_WIDTH) {
    grouped_rows(n, k, A, sa, B, sb, init, e, out, aux, order);
  } else {
    product_rows(n, k, A, sa, B, sb, init, e, out, aux);
  }
}

/* network.ts' forward: the net applied to the column `in`, keeping what backward needs. */
static void forward(const Net *net, const float *in, int n, Trace *t) {
  const Layer *L = net->layer;
  product_outer(n, in, L[0].w, STRIDE[0], L[0].b, t->h[0], t->slope[0]);
  for (int l = 1; l < H; l++) {
    rows_product(n, WIDTH[l - 1], t->h[l - 1], STRIDE[l - 1], L[l].w, STRIDE[l], L[l].b, ACTIVATE,
                 t->h[l], t->slope[l], t->order);
  }
  product_column(n, t->h[H - 1], STRIDE[H - 1], WIDTH[H - 1], L[H].w, L[H].b[0], t->out);
}

/* network.ts' backward from ∂L/∂out; ∂L/∂in into `din` unless it is NULL. */
static void backward(const Net *net, const Trace *t, const float *in, int n, const float *dout,
                     Grads *g, float *din) {
  const Layer *L = net->layer;
  float *dz = DZ[0], *next = DZ[1];
  output_backward(n, t->h[H - 1], STRIDE[H - 1], dout, L[H].w, t->slope[H - 1], g->w[H],
                  g->b[H], dz, g->b[H - 1]);
  for (int l = H - 1; l >= 1; l--) {
    /* dz is ∂L/∂z of hidden layer l; layer l maps hidden layer l − 1 to it. Its bias gradient:
     * output_backward's for the last one. */
    if (l < H - 1) sum_rows(n, dz, STRIDE[l], g->b[l]);
    if (ACT == RELU && STRIDE[l - 1] >= GROUPED_GRAM_MIN_STRIDE) {
      grouped_gram(n, t->h[l - 1], STRIDE[l - 1], dz, STRIDE[l], g->w[l], t->order);
    } else {
      product_gram(n, t->h[l - 1], STRIDE[l - 1], dz, STRIDE[l], g->w[l]);
    }
    rows_product(n, WIDTH[l], dz, STRIDE[l], L[l].wt, STRIDE[l - 1], 0, TIMES_SLOPE, next,
                 t->slope[l - 1], t->order);
    float *swap = dz;
    dz = next;
    next = swap;
  }
  /* the first layer's gradients: its bias's here too, unless it is the last (H = 1) */
  column_sums(n, dz, STRIDE[0], in, g->w[0], H > 1 ? g->b[0] : 0);
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
