/**
 * The native build of `train_step.c`: compiled once per machine by its own C compiler, for its
 * own vector width (`-march=native`: AVX-512, AVX2, NEON), and loaded with `Deno.dlopen`. The
 * operations and the order of every sum are those of the WebAssembly build (`target_native.h`),
 * so both give the same bits and a training's key does not depend on which one ran it.
 *
 * The library is cached in the user's own cache folder (`$PSINV_CACHE`, else
 * `$XDG_CACHE_HOME/psinv`, else `~/.cache/psinv`), named by the hash of the source, the compiler
 * (its file, size and time: a cached build is found without running it), the flags and the CPU,
 * and never in the project's store: a store is shared (with a
 * cluster's nodes, a remote, other users), and a library that gets loaded from a folder others
 * can write is a way in. Before loading, the file must be the user's own and writable by no one
 * else; otherwise it is rebuilt.
 *
 * @module
 */
import { sha256Sync } from "../../../pipeline/core/hash.ts";
import { tempName } from "../../../pipeline/core/temp_name.ts";
import { userDir } from "../../../pipeline/core/user_dir.ts";
import { KERNEL_EXPORTS, type KernelCalls, pickExports } from "./calls.ts";

/** Compiler flags: `-ffp-contract=off` keeps every a·b + c two rounded operations. */
export const NATIVE_FLAGS = [
  "-O3",
  "-march=native",
  "-ffp-contract=off",
  "-fno-math-errno",
  "-fvisibility=hidden",
  "-fPIC",
  "-Werror=switch",
  "-shared",
] as const;

/** The C compilers tried, in order, when `PSINV_CC` does not name one. */
export const COMPILERS = ["clang", "gcc", "cc"] as const;

/**
 * Every C file of the kernel, which the build's key hashes: train_step.c and the headers it
 * includes with quotes (found in its text, so that a new header cannot be left out of the key).
 */
export function kernelSources(read: (file: string) => string): string[] {
  const includes = [...read("train_step.c").matchAll(/^#include "([^"]+)"/gm)].map((m) => m[1]!);
  return ["train_step.c", ...includes];
}

/** Where a native build comes from: the environment, passed in so tests can choose. */
export interface NativeOptions {
  /** Reads an environment variable (`PSINV_CC`, `PSINV_CACHE`, `XDG_CACHE_HOME`, `HOME`). */
  readonly env: (name: string) => string | undefined;
}

/** A loaded native build, or why there is none. */
export type NativeLoad =
  | { readonly ok: true; readonly make: () => KernelCalls; readonly path: string }
  | { readonly ok: false; readonly reason: string };

let loading: Promise<NativeLoad> | undefined;

/**
 * The native kernel of this machine, built on first use and loaded once per worker; `ok: false`
 * with the reason when there is no compiler, the build fails or the library cannot be loaded.
 *
 * @example
 * ```ts ignore
 * import { nativeKernel } from "./native_kernel.ts";
 * const native = await nativeKernel({ env: (name) => Deno.env.get(name) });
 * if (native.ok) native.make().build; // "native"
 * ```
 */
export function nativeKernel(options: NativeOptions): Promise<NativeLoad> {
  return loading ??= loadNativeKernel(options);
}

/**
 * {@linkcode nativeKernel} without the memo: finds a compiler, builds into the cache unless a
 * safe build is there, and loads it.
 *
 * @example
 * ```ts
 * import { loadNativeKernel } from "./native_kernel.ts";
 * const none = await loadNativeKernel({ env: (name) => (name === "PSINV_CC" ? "" : undefined) });
 * none.ok; // false
 * ```
 */
export async function loadNativeKernel(options: NativeOptions): Promise<NativeLoad> {
  try {
    const compiler = findCompiler(options.env);
    if (compiler === undefined) {
      return { ok: false, reason: "no C compiler (clang, gcc or cc) on the PATH" };
    }
    const path = await buildOnce(compiler, cacheDir(options.env));
    if (typeof path !== "string") return path;
    const lib = Deno.dlopen(path, KERNEL_EXPORTS);
    return { ok: true, path, make: () => nativeCalls(lib.symbols) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The compiler to use: the first of the candidates found on the PATH, with what identifies its
 * build (its resolved file, size and time) so that a cached library is found without running it.
 */
function findCompiler(
  env: NativeOptions["env"],
): { command: string; identity: string } | undefined {
  const chosen = env("PSINV_CC");
  const candidates = chosen === undefined ? COMPILERS : chosen === "" ? [] : [chosen];
  const dirs = (env("PATH") ?? "").split(":").filter((d) => d !== "");
  for (const command of candidates) {
    const paths = command.includes("/") ? [command] : dirs.map((d) => `${d}/${command}`);
    for (const path of paths) {
      try {
        const real = Deno.realPathSync(path);
        const s = Deno.statSync(real);
        if (!s.isFile || ((s.mode ?? 0) & 0o111) === 0) continue;
        return { command: path, identity: `${real} ${s.size} ${s.mtime?.getTime()}` };
      } catch {
        // not there: the next
      }
    }
  }
  return undefined;
}

function cacheDir(env: NativeOptions["env"]): string {
  const base = env("PSINV_CACHE") || userDir("cache", env) || "/tmp/.cache/psinv";
  return `${base}/kernel`;
}

/** What the CPU offers, as the kernel's `-march=native` sees it. */
function cpuSignature(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(info)?.[1] ?? "";
    return `${Deno.build.arch} ${field("model name")} ${field("flags") || field("Features")}`;
  } catch {
    return `${Deno.build.arch} ${Deno.build.os}`;
  }
}

/**
 * The cached library for this source, compiler, flags and CPU, built into the cache first when
 * absent or not safe to load; or why it cannot be had.
 */
async function buildOnce(
  compiler: { command: string; identity: string },
  dir: string,
): Promise<string | { ok: false; reason: string }> {
  const here = new URL(".", import.meta.url);
  const sources = kernelSources((f) => Deno.readTextFileSync(new URL(f, here))).map((f) =>
    Deno.readFileSync(new URL(f, here))
  );
  const key = sha256Sync(
    JSON.stringify({
      sources: sources.map((bytes) => sha256Sync(bytes)),
      compiler: compiler.identity,
      flags: NATIVE_FLAGS,
      cpu: cpuSignature(),
    }),
  );
  const path = `${dir}/train_step-${key.slice(0, 32)}.so`;
  if (safeToLoad(path)) return path;
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = tempName(path);
  const out = await new Deno.Command(compiler.command, {
    args: [...NATIVE_FLAGS, "-o", tmp, new URL("train_step.c", here).pathname, "-lm"],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    await Deno.remove(tmp).catch(() => {});
    const message = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "";
    return { ok: false, reason: `${compiler.command} failed: ${message}` };
  }
  Deno.chmodSync(tmp, 0o700);
  Deno.renameSync(tmp, path);
  return path;
}

/** Whether `path` exists, is a file of this user's, and no one else may write it. */
function safeToLoad(path: string): boolean {
  try {
    const s = Deno.statSync(path);
    return s.isFile && s.uid === Deno.uid() && ((s.mode ?? 0) & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The library's functions as {@linkcode KernelCalls}: pointers as numbers, views on them. */
function nativeCalls(s: Deno.DynamicLibrary<typeof KERNEL_EXPORTS>["symbols"]): KernelCalls {
  const view = (pointer: number, bytes: number): ArrayBuffer =>
    Deno.UnsafePointerView.getArrayBuffer(Deno.UnsafePointer.create(BigInt(pointer))!, bytes);
  // A pointer ("usize") crosses the FFI as a bigint (or a number when small): numbers both ways.
  const calls = pickExports(s, (f, e) => (...args: number[]) => {
    const result = f(
      ...args.map((v, i) => (e.parameters[i] === "usize" ? BigInt(v) : v)),
    );
    return typeof result === "bigint" ? Number(result) : result;
  });
  return {
    ...calls,
    build: "native",
    f32: (pointer, n) => new Float32Array(view(pointer, n * 4)),
    i32: (pointer, n) => new Int32Array(view(pointer, n * 4)),
  };
}
