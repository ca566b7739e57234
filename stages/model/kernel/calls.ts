/**
 * What the trainer needs of a build of `train_step.c`, whichever it is: the WebAssembly module
 * (`wasm_kernel.ts`) or the native library built on this machine (`native_kernel.ts`). Both run
 * the same C source with the same IEEE operations, so they give the same bits.
 *
 * The kernel's C exports are declared once, in {@linkcode KERNEL_EXPORTS}: the native build
 * loads exactly those symbols, the WebAssembly build checks that its module exports them, and
 * {@linkcode KernelCalls} is derived from the table.
 *
 * @module
 */

/** Which build runs: the committed WebAssembly module, or a library compiled here. */
export type KernelBuild = "wasm" | "native";

/**
 * The C functions of train_step.c, as `Deno.dlopen` takes them (`usize` is a pointer; both
 * builds hand it to TypeScript as a number).
 */
export const KERNEL_EXPORTS = {
  /** Where the hidden widths go before `setup`. */
  shape: { parameters: [], result: "usize" },
  /** hidden, rows, activation, then Adam's float32 β₁, β₂, 1 − β₁, 1 − β₂, ε, −learning rate. */
  setup: {
    parameters: ["i32", "i32", "i32", "f32", "f32", "f32", "f32", "f32", "f32"],
    result: "i32",
  },
  parameters: { parameters: [], result: "usize" },
  parameter_count: { parameters: [], result: "i32" },
  /** Adam's first moments (`parameter_count()` values), as parameters() lays them out. */
  first_moments: { parameters: [], result: "usize" },
  /** Adam's second moments, likewise. */
  second_moments: { parameters: [], result: "usize" },
  scratch: { parameters: ["i32"], result: "usize" },
  heap_end: { parameters: [], result: "u32" },
  /** The floats a hidden layer's row is padded to in this build. */
  lane_width: { parameters: [], result: "i32" },
  activate_in_place: { parameters: ["usize", "i32", "i32"], result: "i32" },
  /** which, n, k, s, data: how many outputs of sparse.h's product differ from the dense one's. */
  sparse_differs: { parameters: ["i32", "i32", "i32", "i32", "usize"], result: "i32" },
  inputs: { parameters: [], result: "usize" },
  targets: { parameters: [], result: "usize" },
  rows: { parameters: [], result: "usize" },
  terms: { parameters: [], result: "usize" },
  /** n, gather, cycles, then float32 λ, μ, 2/n, μ·2/n, λ·2/n, 1 − β₁ᵗ, 1 − β₂ᵗ. */
  step: {
    parameters: ["i32", "i32", "i32", "f32", "f32", "f32", "f32", "f32", "f32", "f32"],
    result: "void",
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The kernel's exports, by name. */
export type KernelExport = keyof typeof KERNEL_EXPORTS;

type Numbers<T extends readonly unknown[]> = { [I in keyof T]: number };

/** One export as TypeScript calls it: numbers in, a number (or nothing) out. */
type Call<E extends { parameters: readonly unknown[]; result: string }> = (
  ...args: Numbers<E["parameters"]>
) => E["result"] extends "void" ? void : number;

/** One instance of the kernel: its C functions, and views of its memory by pointer. */
export type KernelCalls =
  & { readonly [K in KernelExport]: Call<typeof KERNEL_EXPORTS[K]> }
  & {
    readonly build: KernelBuild;
    /** `length` float32 values at a pointer the kernel returned, live. */
    f32(pointer: number, length: number): Float32Array;
    /** `length` int32 values at a pointer the kernel returned, live. */
    i32(pointer: number, length: number): Int32Array;
  };

/**
 * The exports of {@linkcode KERNEL_EXPORTS} picked out of `functions` (a wasm instance's exports
 * or a library's symbols), each wrapped by `wrap`; throws naming the first one missing.
 *
 * @example
 * ```ts
 * import { KERNEL_EXPORTS, pickExports } from "./calls.ts";
 * const fake = Object.fromEntries(Object.keys(KERNEL_EXPORTS).map((k) => [k, () => 0]));
 * Object.keys(pickExports(fake, (f) => f)).length; // Object.keys(KERNEL_EXPORTS).length
 * ```
 */
export function pickExports(
  functions: Record<string, unknown>,
  wrap: (
    f: (...args: unknown[]) => unknown,
    e: typeof KERNEL_EXPORTS[KernelExport],
  ) => (...args: number[]) => unknown,
): Omit<KernelCalls, "build" | "f32" | "i32"> {
  const picked: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(KERNEL_EXPORTS)) {
    const f = functions[name];
    if (typeof f !== "function") throw new Error(`The training kernel exports no "${name}"`);
    picked[name] = wrap(f as (...args: unknown[]) => unknown, e);
  }
  // Checked above name by name against the table the type is derived from.
  return picked as Omit<KernelCalls, "build" | "f32" | "i32">;
}
