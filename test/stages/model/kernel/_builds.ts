/**
 * Every build of the kernel this machine has, for the tests that compare them: the WebAssembly
 * module always, the native library when a C compiler is here (always in CI, which installs
 * clang: there its absence is a failure).
 *
 * @module
 */
import type { KernelBuild, KernelCalls } from "../../../../stages/model/kernel/calls.ts";
import { nativeKernel } from "../../../../stages/model/kernel/native_kernel.ts";
import { wasmKernel } from "../../../../stages/model/kernel/wasm_kernel.ts";

const native = await nativeKernel({ env: (name) => Deno.env.get(name) });
if (!native.ok && /^(1|true)$/i.test(Deno.env.get("CI") ?? "")) {
  throw new Error(`CI must test the native kernel: ${native.reason}`);
}

/** Each build by name, with a maker of fresh instances (a wasm instance's memory only grows). */
export const BUILDS: readonly (readonly [KernelBuild, () => KernelCalls])[] = [
  ["wasm", wasmKernel],
  ...(native.ok ? [["native", native.make] as const] : []),
];
