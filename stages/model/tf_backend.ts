/**
 * Initialises tfjs with the backend the parameters ask for: `tfjs-wasm` (XNNPACK) or `tfjs-cpu`
 * (pure JavaScript, slower, other numbers). Works in the main thread and in a Web Worker, where
 * the engine runs each stage.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { stageError } from "../stage_codes.ts";

/** A tfjs backend the stages can run on, as `training.backend` names it. */
export type BackendName = "tfjs-wasm" | "tfjs-cpu";

/**
 * Makes `backend` the active tfjs backend and waits until it is ready; returns the tfjs namespace.
 *
 * Deno resolves the npm package with the `node` condition, whose build reads its `.wasm` files
 * from the package folder with `node:fs`, so no `setWasmPaths` is needed (a URL path would make
 * it fetch, which fails for `file:` URLs). Threads stay off (no SharedArrayBuffer in our
 * workers), which also keeps XNNPACK's reductions in one fixed order: reruns are bit-identical.
 *
 * @example
 * ```ts
 * import { initBackend } from "./tf_backend.ts";
 * const tf = await initBackend("tfjs-cpu");
 * tf.getBackend(); // "cpu"
 * ```
 */
export async function initBackend(backend: BackendName): Promise<typeof tf> {
  // Production mode: no per-op debug checks, and no console warnings (stages never print).
  tf.env().set("PROD", true);
  const name = backend === "tfjs-wasm" ? "wasm" : "cpu";
  if (tf.getBackend() === name) return tf;
  let ok = false;
  let why = "setBackend returned false";
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  if (!ok || tf.getBackend() !== name) {
    throw stageError(
      "backend-unavailable",
      `Cannot initialise the tfjs "${name}" backend: ${why}`,
      name === "wasm"
        ? 'set training.backend to "tfjs-cpu" (slower, pure JavaScript)'
        : "check that the npm packages in deno.json are installed",
    );
  }
  return tf;
}
