/**
 * The big pipeline's command line, run as its own process so its peak memory can be read:
 * `BIG_ROOT=<dir> deno run -A test/testdata/big/main.ts push --remote …`. After the command it
 * prints its peak resident set (`VmHWM` of `/proc/self/status`, kB) on standard error as
 * `peak-rss-kb <n>`.
 *
 * @module
 */
import { main } from "../../../pipeline/cli/cli.ts";
import { big } from "./pipeline.ts";

if (import.meta.main) {
  const root = Deno.env.get("BIG_ROOT");
  if (!root) throw new Error("BIG_ROOT is not set");
  const code = await main(Deno.args, big, { root });
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const peak = /^VmHWM:\s*(\d+) kB/m.exec(status)?.[1];
  console.error(`peak-rss-kb ${peak ?? "unknown"}`);
  Deno.exit(code);
}
