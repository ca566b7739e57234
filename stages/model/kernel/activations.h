/*
 * The activations' reproductions: tfjs-backend-wasm's float32 values, operation for operation:
 * part of train_step.c, which includes the kernel's headers in order into one translation unit
 * (so that clang inlines across them and the build stays one source file). The C library
 * functions softplus calls are in libm.h.
 */

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

/* ELU (α = 1) as XNNPACK's wasmsimd "x86 rr2 p6" kernel evaluates it, the one tfjs' Elu (and
 * a product with a fused "elu") runs where the CPU is an x86 (XNNPACK tells x86 by the sign of
 * ∞ − ∞): e^z − 1 as s·(1 + t + t²·p(t)) − 1 with z = n·ln2 + t (two-step reduction), s = 2^n
 * from n's bits and p of degree 4, with s and t zeroed at and below the saturation cutoff (≈ −17.3,
 * giving −1); z itself where its sign bit is clear. (Its "arm" twin clamps z to the cutoff instead,
 * which gives −1 too: the two agree on every float but NaNs.) */
static inline vf elu_v(vf z) {
  const vf magic = V_SPLAT(0x1.8000FEp23f), log2e = V_SPLAT(0x1.715476p+0f);
  const vf minus_ln2_hi = V_SPLAT(-0x1.62E440p-1f), minus_ln2_lo = V_SPLAT(0x1.0105C6p-21f);
  const vf c6 = V_SPLAT(0x1.6b7338p-10f), c5 = V_SPLAT(0x1.12278Ep-7f);
  const vf c4 = V_SPLAT(0x1.555716p-5f), c3 = V_SPLAT(0x1.5554B0p-3f);
  const vf c2 = V_SPLAT(0x1.FFFFFEp-2f), one = V_SPLAT(1.0f);
  const vf sat_cutoff = V_SPLAT(-0x1.154246p+4f);
  /* XNNPACK scales by its prescale, α and β, all 1 here: each product is z (or e) exactly, but
   * for a signalling NaN, which the product quiets (clang would drop a product by 1). */
  vf quiet_z = V_SELECT(V_OR(z, V_SPLAT_I32(0x00400000)), z, V_NE(z, z));
  vf n = V_ADD(V_MUL(z, log2e), magic);
  vf s = V_SHL_BITS(n, 23);
  n = V_SUB(n, magic);
  vf t = V_ADD(V_MUL(n, minus_ln2_hi), z);
  vf saturated = V_LE(z, sat_cutoff);
  t = V_ADD(V_MUL(n, minus_ln2_lo), t);
  s = V_ANDNOT(s, saturated);
  t = V_ANDNOT(t, saturated);
  vf p = V_ADD(V_MUL(c6, t), c5);
  p = V_ADD(V_MUL(p, t), c4);
  p = V_ADD(V_MUL(p, t), c3);
  p = V_ADD(V_MUL(p, t), c2);
  p = V_MUL(p, t);
  t = V_MUL(t, s);
  s = V_SUB(s, one);
  p = V_ADD(V_MUL(p, t), t);
  return V_SELECT(V_ADD(p, s), quiet_z, V_SIGN_MASK(z));
}

/* tfjs-wasm's Softplus (src/cc/kernels/Softplus.cc): e^x below log(FLT_EPSILON) + 2, x above
 * its negation, else log(1 + e^x) in double, rounded to float. The threshold is musl's
 * logf(2^-23), float(−23·ln2), plus 2: −0x1.be2804p+3. */
static inline float softplus(float x) {
  const float threshold = -0x1.be2804p+3f;
  if (x < threshold) return musl_expf(x);
  if (x > -threshold) return x;
  return (float)musl_log(1.0 + (double)musl_expf(x));
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

/* A hidden layer's output from its pre-activation z, as activations.ts' `tfjs` forms: ReLU fused
 * into the product; SiLU as z·s with its slope s·(1 + z·(1 − s)) stored, s = sigmoid(z);
 * tanh(z); leaky ReLU; ELU; softplus (lane by lane) with its slope sigmoid(z) stored. setup and
 * activate_in_place refuse an unknown code, so the trap is never reached. */
static inline void activate(vf z, float *h, float *slope) {
  switch ((enum Activation)ACT) {
  case RELU:
    V_STORE(h, V_RELU(z));
    return;
  case SILU: {
    const vf one = V_SPLAT(1.0f);
    vf sg = sigmoid_v(z);
    /* A NaN z meets sigmoid's NaN, of the other sign when z is negative, and x86 keeps a product's
     * first NaN, which a compiler free to commute a product need not keep first: so a NaN z gives
     * tfjs' results, z quieted and its magnitude, by selection. */
    vf nan = V_NE(z, z), quiet = V_OR(z, V_SPLAT_I32(0x00400000));
    V_STORE(h, V_SELECT(quiet, V_MUL(z, sg), nan));
    V_STORE(slope,
            V_SELECT(V_ABS(quiet), V_MUL(sg, V_ADD(one, V_MUL(z, V_SUB(one, sg)))), nan));
    return;
  }
  case TANH:
    V_STORE(h, tanh_v(z));
    return;
  case LEAKY_RELU: /* tfjs' wasm LeakyRelu: z < 0 ? α·z : z */
    V_STORE(h, V_SELECT(V_MUL(V_SPLAT(LEAKY_SLOPE), z), z, V_LT(z, V_SPLAT(0.0f))));
    return;
  case ELU:
    V_STORE(h, elu_v(z));
    return;
  case SOFTPLUS:
    V_STORE(h, z);
    for (int q = 0; q < VW; q++) h[q] = softplus(h[q]);
    V_STORE(slope, sigmoid_v(z));
    return;
  }
  __builtin_trap();
}

/* act'(z) for back-propagation, read off what forward kept: ReLU's step(h), SiLU's and softplus'
 * stored slopes, tanh's 1 − h·h, leaky ReLU's step(h, α), ELU's 1 + min(h, 0). */
static inline vf slope_of(const float *kept) {
  vf v = V_LOAD(kept);
  switch ((enum Activation)ACT) {
  case RELU:
    return V_STEP(v);
  case SILU:
    return v;
  case TANH:
    return V_SUB(V_SPLAT(1.0f), V_MUL(v, v));
  case LEAKY_RELU: /* tfjs' step(h, α): 1 where h > 0, else α */
    return V_SELECT(V_SPLAT(1.0f), V_SPLAT(LEAKY_SLOPE), V_GT(v, V_SPLAT(0.0f)));
  case ELU: /* tfjs' Minimum is 0 < h ? 0 : h; then 1 + it: 1 where h > 0, else h + 1 (e^z) */
    return V_ADD(V_SPLAT(1.0f), V_SELECT(V_SPLAT(0.0f), v, V_GT(v, V_SPLAT(0.0f))));
  case SOFTPLUS:
    return v;
  }
  __builtin_trap();
}
