/**
 * Headless Chromium for the page tests: the binary ($CHROMIUM, else \`chromium\` on PATH, else
 * /usr/bin/chromium; CI installs the Debian package) and one run of it on a URL.
 *
 * @module
 */
import assert from "node:assert/strict";
import { delimiter, join } from "node:path";

/** The Chromium binary: $CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium. */
export async function chromium(): Promise<string> {
  const candidates = [
    Deno.env.get("CHROMIUM"),
    ...(Deno.env.get("PATH") ?? "").split(delimiter).map((d) => join(d, "chromium")),
    "/usr/bin/chromium",
  ].filter((c): c is string => c !== undefined && c !== "");
  for (const candidate of candidates) {
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch {
      // Not here; try the next place.
    }
  }
  return assert.fail(
    "Chromium not found ($CHROMIUM, chromium on PATH, /usr/bin/chromium): install the Debian " +
      "package chromium (.ci/run does) to run the index page test",
  );
}

/** Runs headless Chromium on `url` with extra flags; returns its stdout. */
export async function runChromium(profile: string, flags: string[], url: string): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(await chromium(), {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      ...flags,
      url,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, `chromium exited with ${code}: ${new TextDecoder().decode(stderr)}`);
  return out;
}
