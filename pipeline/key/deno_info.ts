/**
 * The output of `deno info --json <module>`, read into the part of the module graph a code
 * fingerprint needs: the local and remote modules the root loads at run time, and the versions
 * of the npm packages it reaches. Pure: the caller runs `deno info` and reads the files.
 *
 * @module
 */
import { err, ok, type Result } from "../core/mod.ts";

/** One module of the graph that has a file on disk. */
export interface GraphModule {
  /** The module's URL as Deno resolved it (`file:///…`, `https://…`). */
  readonly specifier: string;
  /** Absolute path of the file (for a remote module, of its cached copy). */
  readonly path: string;
  /** Deno's media type (`TypeScript`, `JavaScript`, `Mts`, `Json`, …), when given. */
  readonly mediaType?: string;
}

/** The modules a root loads at run time, and the npm packages it reaches. */
export interface ModuleGraph {
  /** Local (`file:`) modules, in `deno info`'s order. */
  readonly local: readonly GraphModule[];
  /** Remote modules, in `deno info`'s order. */
  readonly remote: readonly GraphModule[];
  /** npm package name → resolved version (several versions sorted, joined by `,`), sorted by name. */
  readonly npm: Readonly<Record<string, string>>;
}

interface InfoModule {
  readonly specifier: string;
  readonly kind?: string;
  readonly local?: string;
  readonly error?: string;
  readonly npmPackage?: string;
  /** `TypeScript`, `JavaScript`, `Mts`, `Json`, … */
  readonly mediaType?: string;
  /** `code` is set for imports that exist at run time; type-only imports have only `type`. */
  readonly dependencies?: readonly { readonly code?: { readonly specifier?: string } }[];
}

interface NpmPackage {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: readonly string[];
}

interface InfoJson {
  readonly roots?: readonly string[];
  readonly modules: readonly InfoModule[];
  readonly redirects?: Readonly<Record<string, string>>;
  readonly npmPackages?: Readonly<Record<string, NpmPackage>>;
}

/**
 * Parses the standard output of `deno info --json`; the error is a one-line reason: the text is
 * not JSON, has no module list, or a module of the graph failed to resolve or load (its message).
 *
 * @example
 * ```ts
 * import { parseDenoInfo } from "./deno_info.ts";
 * const graph = parseDenoInfo(JSON.stringify({
 *   roots: ["file:///p/a.ts"],
 *   modules: [{ kind: "esm", specifier: "file:///p/a.ts", local: "/p/a.ts", mediaType: "TypeScript" }],
 * }));
 * graph.ok && graph.value.local[0]!.path; // "/p/a.ts"
 * ```
 */
export function parseDenoInfo(output: string): Result<ModuleGraph, string> {
  let info: InfoJson;
  try {
    info = JSON.parse(output) as InfoJson;
  } catch (e) {
    return err((e as Error).message);
  }
  if (typeof info !== "object" || info === null || !Array.isArray(info.modules)) {
    return err("deno info gave no module list");
  }
  for (const m of info.modules) {
    if (m.error !== undefined) return err(m.error);
  }
  const local: GraphModule[] = [];
  const remote: GraphModule[] = [];
  const npmRoots: string[] = [];
  for (const m of runtimeModules(info)) {
    if (m.kind === "npm" && m.npmPackage) {
      npmRoots.push(m.npmPackage);
    } else if (m.specifier.startsWith("file:") && m.local) {
      local.push(graphModule(m, m.local));
    } else if (m.local && m.kind !== "node") {
      remote.push(graphModule(m, m.local));
    }
  }
  return ok({ local, remote, npm: npmClosure(npmRoots, info.npmPackages ?? {}) });
}

function graphModule(m: InfoModule, path: string): GraphModule {
  return {
    specifier: m.specifier,
    path,
    ...(m.mediaType !== undefined ? { mediaType: m.mediaType } : {}),
  };
}

/**
 * The modules the root loads at run time: reached through `code` edges only. A module imported
 * only for its types (`import type`) is erased before running, so editing it cannot change
 * what the stage computes and must not rerun it.
 */
function runtimeModules(info: InfoJson): InfoModule[] {
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const redirects = info.redirects ?? {};
  const resolve = (s: string): string => {
    for (let i = 0; i < 10 && redirects[s] !== undefined; i++) s = redirects[s]!;
    return s;
  };
  const roots = info.roots ?? [];
  if (roots.length === 0) return [...info.modules];
  const seen = new Set<string>();
  const stack = roots.map(resolve);
  while (stack.length > 0) {
    const spec = stack.pop()!;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const d of bySpecifier.get(spec)?.dependencies ?? []) {
      if (d.code?.specifier !== undefined) stack.push(resolve(d.code.specifier));
    }
  }
  return info.modules.filter((m) => seen.has(m.specifier));
}

/** Name → version of every npm package reachable from the graph's npm imports. */
function npmClosure(
  rootIds: readonly string[],
  packages: Readonly<Record<string, NpmPackage>>,
): Record<string, string> {
  const seen = new Set<string>();
  const versions = new Map<string, Set<string>>();
  const stack = [...rootIds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const pkg = packages[id];
    if (!pkg) {
      // Not in the package table: keep the id itself so the fingerprint still names it.
      const at = id.lastIndexOf("@");
      const name = at > 0 ? id.slice(0, at) : id;
      addVersion(versions, name, at > 0 ? id.slice(at + 1) : "?");
      continue;
    }
    addVersion(versions, pkg.name, pkg.version);
    stack.push(...(pkg.dependencies ?? []));
  }
  const npm: Record<string, string> = {};
  for (const name of [...versions.keys()].sort()) {
    npm[name] = [...versions.get(name)!].sort().join(",");
  }
  return npm;
}

function addVersion(versions: Map<string, Set<string>>, name: string, version: string): void {
  const set = versions.get(name) ?? new Set<string>();
  set.add(version);
  versions.set(name, set);
}
