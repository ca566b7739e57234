/*
 * Adam: adam.ts' update of the parameters from their gradient. Part of train_step.c, which
 * includes the kernel's headers in order into one translation unit (so that clang inlines across
 * them and the build stays one source file).
 */

/* One Adam update of theta from grad, with the float32 constants setup took and this step's
 * bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ, in tfjs' order of operations. */
static inline void adam(float bias_correction1, float bias_correction2) {
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
