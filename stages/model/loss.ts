/**
 * The post's loss L̃ = mean|f(x)−y|² + mean|g(y)−x|² + μ·mean|y−f(g(y))|² + λ·mean|x−g(f(x))|²,
 * its four terms kept apart for the history, and its gradient with respect to f's and g's
 * parameters.
 *
 * @module
 */
import type * as tfc from "@tensorflow/tfjs-core";
import { backward, forward, type Network, type Tf } from "./network.ts";
import type { Activation } from "./architecture.ts";

/** What the loss is computed from. */
export interface LossInputs {
  readonly f: Network;
  readonly g: Network;
  readonly activation: Activation;
  /** Inputs x as a column [n, 1]. */
  readonly x: tfc.Tensor2D;
  /** Targets y as a column [n, 1]. */
  readonly y: tfc.Tensor2D;
  /** Weight of cyc_x = mean|x − g(f(x))|². */
  readonly lambda: number;
  /** Weight of cyc_y = mean|y − f(g(y))|². */
  readonly mu: number;
}

/** The loss and its gradient, as tensors. */
export interface LossAndGradients {
  /**
   * Shape [5], in the order of `history.csv` (history_format.ts): fit_f, fit_g, cyc_y, cyc_x
   * (unweighted), L̃.
   */
  readonly terms: tfc.Tensor1D;
  /** ∂L̃/∂ of f's kernels and biases, in layer order (kernel, then bias). */
  readonly gradsF: tfc.Tensor[];
  /** ∂L̃/∂ of g's kernels and biases, in layer order (kernel, then bias). */
  readonly gradsG: tfc.Tensor[];
}

/**
 * L̃, its terms and its gradient. The four network evaluations share work: f(g(y)) and g(f(x))
 * are built on f(x) and g(y), and the gradient is propagated by hand through the compositions
 * (∂/∂f(x) collects fit_f's part and, through g, cyc_x's part). A branch whose weight is 0 is
 * not back-propagated, so with λ = μ = 0 f's gradient is structurally independent of g.
 *
 * @example
 * ```ts
 * import { initBackend } from "./tf_backend.ts";
 * import { lossAndGradients } from "./loss.ts";
 * const tf = await initBackend("tfjs-cpu");
 * const id = [{ kernel: tf.variable(tf.tensor2d([[1]])), bias: tf.variable(tf.tensor1d([0])) }];
 * const x = tf.tensor2d([[1], [2]]);
 * const loss = lossAndGradients(tf, { f: id, g: id, activation: "relu", x, y: x, lambda: 1, mu: 1 });
 * loss.terms.arraySync(); // [0, 0, 0, 0, 0]
 * ```
 */
export function lossAndGradients(tf: Tf, p: LossInputs): LossAndGradients {
  const { f, g, x, y, activation, lambda, mu } = p;
  const n = x.shape[0];
  const fx = forward(tf, f, x, activation);
  const gy = forward(tf, g, y, activation);
  const gfx = forward(tf, g, fx.out, activation);
  const fgy = forward(tf, f, gy.out, activation);

  const rFit = tf.sub(fx.out, y);
  const rFitG = tf.sub(gy.out, x);
  const rCycY = tf.sub(fgy.out, y);
  const rCycX = tf.sub(gfx.out, x);
  // One reduction for the four means: rows of [4, n] → [4]. (Stacked along rows, not as the
  // columns of [n, 4]: the wasm backend concatenates columns row by row in JavaScript.)
  const residuals = tf.reshape(tf.concat([rFit, rFitG, rCycY, rCycX], 0), [4, n]);
  const means = tf.mean(tf.square(residuals), 1) as tfc.Tensor1D;
  const total = tf.sum(tf.mul(means, tf.tensor1d([1, 1, mu, lambda])), 0, true) as tfc.Tensor1D;
  const terms = tf.concat([means, total]);

  // ∂ mean(r²)/∂r = 2r/n.
  const scale = 2 / n;
  let dFx = tf.mul<tfc.Tensor2D>(rFit, scale);
  let dGy = tf.mul<tfc.Tensor2D>(rFitG, scale);
  const gradsF: tfc.Tensor[] = [];
  const gradsG: tfc.Tensor[] = [];
  if (mu !== 0) {
    const b = backward(tf, f, fgy.trace, tf.mul<tfc.Tensor2D>(rCycY, mu * scale), true);
    gradsF.push(...b.grads);
    dGy = tf.add(dGy, b.dInput!);
  }
  if (lambda !== 0) {
    const b = backward(tf, g, gfx.trace, tf.mul<tfc.Tensor2D>(rCycX, lambda * scale), true);
    gradsG.push(...b.grads);
    dFx = tf.add(dFx, b.dInput!);
  }
  const bf = backward(tf, f, fx.trace, dFx, false);
  const bg = backward(tf, g, gy.trace, dGy, false);
  return {
    terms,
    gradsF: gradsF.length === 0 ? bf.grads : bf.grads.map((d, i) => tf.add(d, gradsF[i]!)),
    gradsG: gradsG.length === 0 ? bg.grads : bg.grads.map((d, i) => tf.add(d, gradsG[i]!)),
  };
}

/**
 * The total L̃ from its unweighted terms, as the history defines it.
 *
 * @example
 * ```ts
 * import { totalLoss } from "./loss.ts";
 * totalLoss({ fit_f: 1, fit_g: 2, cyc_y: 3, cyc_x: 4 }, { lambda: 10, mu: 100 }); // 343
 * ```
 */
export function totalLoss(
  t: { fit_f: number; fit_g: number; cyc_y: number; cyc_x: number },
  w: { lambda: number; mu: number },
): number {
  return t.fit_f + t.fit_g + w.mu * t.cyc_y + w.lambda * t.cyc_x;
}
