/*
 * The shapes and the state: the networks' layout, what a step keeps, and their allocation. Part
 * of train_step.c, which includes the kernel's headers in order into one translation unit (so
 * that clang inlines across them and the build stays one source file).
 */

/* MAX_HIDDEN, MAX_WIDTH and enum Activation come from kernel_facts.h, generated from
 * params_schema.ts and activations.ts; setup checks them again so that no index can overflow. */

/* H hidden layers; WIDTH[l] units in hidden layer l, stored in rows of STRIDE[l] floats (WIDTH
 * rounded up to CB). Padding columns hold zeros in the weights and stay out of every sum. */
STATE int H, N, ACT, P, MAX_STRIDE;
STATE int WIDTH[MAX_HIDDEN], STRIDE[MAX_HIDDEN];

/*
 * Linear layer l maps hidden layer l−1 (the input for l = 0) to hidden layer l (the output for
 * l = H), unpacked from the parameter vector into padded rows:
 *   l = 0:      w [STRIDE[0]],               b [STRIDE[0]];
 *   0 < l < H:  w [WIDTH[l−1]][STRIDE[l]],   wt its transpose [WIDTH[l]][STRIDE[l−1]],
 *               b [STRIDE[l]];
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
  /* The order grouped_rows takes the rows in (n of them): by the input this pass started from. */
  const int32_t *order;
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
/* [N]: the orders grouped_rows takes rows in (sparse.h), made at the first step: the rows by x
 * and by y (order_windows), each row's rank by x and by y, a minibatch's rows by those ranks
 * (batch_order, each step), and SEQUENCE 0 … n−1 for anything else (and the sorts' room). */
STATE int32_t *ORDER_X, *ORDER_Y, *RANK_X, *RANK_Y, *BATCH_X, *BATCH_Y, *SEQUENCE;
STATE int ORDERED;
STATE float *R_FIT, *R_FIT_G, *R_CYC_Y, *R_CYC_X, *D_FX, *D_GY, *D_CYC, *D_IN; /* [N] */
/* [MAX_STRIDE]²: grouped_rows' panels of a middle layer's weights (sparse.h). */
STATE float *PACKED;
/* grouped_gram's room for units of rows of up to `s` floats, GRAM_CHUNK rows at a time: the rows'
 * masks of nonzero units (words of 64 bits each), the units' signatures, order and the sort's
 * room, the groups' masks, and each group's list of rows and D's panels. */
STATE uint64_t *GRAM_MASKS, *GRAM_SIG, *GRAM_GROUPS;
STATE int32_t *GRAM_UNITS, *GRAM_UNITS_ROOM, *GRAM_LISTS;
STATE float *GRAM_PANELS;
static void gram_room(int s) {
  uint64_t words = ((uint64_t)s + 63) / 64;
  GRAM_MASKS = (uint64_t *)take(2 * words * GRAM_CHUNK);
  GRAM_SIG = (uint64_t *)take(2 * (uint64_t)s);
  GRAM_GROUPS = (uint64_t *)take(2 * (uint64_t)s / 4 * words);
  GRAM_UNITS = (int32_t *)take((uint64_t)s);
  GRAM_UNITS_ROOM = (int32_t *)take((uint64_t)s);
  GRAM_LISTS = (int32_t *)take((uint64_t)s / 4 * GRAM_CHUNK);
  GRAM_PANELS = take((uint64_t)s * GRAM_CHUNK);
}
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
    t->slope[l] = KEEPS_SLOPE(ACT) ? take((uint64_t)N * STRIDE[l]) : t->h[l];
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

