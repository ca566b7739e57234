/**
 * The command line of the experiment: the engine's CLI bound to this post's pipeline.
 *
 * @module
 */
import { main } from "../pipeline/cli/cli.ts";
import { experiment } from "./pipeline.ts";

/** The environment variables the experiment itself reads, as the help lists them. */
export const ENVIRONMENT = {
  PSINV_CC:
    "the C compiler of the native training kernel (default: clang, gcc or cc on the PATH; '': none, WebAssembly only)",
  PSINV_CACHE:
    "where the native kernel is built (default $XDG_CACHE_HOME/psinv, else ~/.cache/psinv)",
} as const satisfies Record<string, string>;

if (import.meta.main) {
  Deno.exit(
    await main(Deno.args, experiment, {
      root: new URL("..", import.meta.url).pathname,
      environment: ENVIRONMENT,
    }),
  );
}
