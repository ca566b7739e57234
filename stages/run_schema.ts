/**
 * What one training run is made of in `params.json`: its network (hidden widths and
 * activation) and how many replicates it gets. Below the rest of the schema, so that the
 * configurations, the sweeps and the searches share one definition.
 *
 * @module
 */
import { z } from "zod";
import { type Activation, ACTIVATIONS } from "./activations.ts";

const positiveInt = z.number().int().min(1);

/** The activations a network may use after each hidden layer (activations.ts). */
export { type Activation, ACTIVATIONS };

/** The most hidden layers of a network. */
export const MAX_HIDDEN_LAYERS = 8;
/** The widest hidden layer. */
export const MAX_LAYER_WIDTH = 1024;

/** One of the table's activations. */
export const activationSchema = z.enum(ACTIVATIONS);

/** Hidden widths of f and g, input side first: `[30, 30]` is the post's 1 → 30 → 30 → 1. */
export const layersSchema = z.array(z.number().int().min(1).max(MAX_LAYER_WIDTH)).min(1).max(
  MAX_HIDDEN_LAYERS,
);

/** How many runs each configuration gets: training seeds × data draws. */
export const replicatesSchema = z.strictObject({
  /** Training seeds training.seed, training.seed + 1, …: the initialisation and the batch order. */
  seeds: positiveInt,
  /** Data draws: draw 0 is data.seed, the others fresh splines and points from derived seeds. */
  draws: positiveInt,
});
