/**
 * The command line of the experiment: the engine's CLI bound to this post's pipeline.
 *
 * @module
 */
import { main } from "../pipeline/cli/cli.ts";
import { experiment } from "./pipeline.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args, experiment, { root: new URL("..", import.meta.url).pathname }));
}
