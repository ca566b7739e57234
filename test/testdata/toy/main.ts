/**
 * The toy's command line, for tests that need a real process (kill -9, concurrent runs):
 * `TOY_ROOT=<dir> deno run -A test/testdata/toy/main.ts reproduce`.
 *
 * @module
 */
import { main } from "../../../pipeline/cli/cli.ts";
import { toy } from "./pipeline.ts";

if (import.meta.main) {
  const root = Deno.env.get("TOY_ROOT");
  if (!root) throw new Error("TOY_ROOT is not set");
  Deno.exit(await main(Deno.args, toy, { root }));
}
