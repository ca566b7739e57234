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

/** The sizes of every image of the page once loaded, as Chromium saw them: [src, width]. */
export async function loadedImages(
  artifacts: string,
  profile: string,
): Promise<[string, number][]> {
  // A copy of the page next to it (same relative links) that writes each image's natural width
  // into the DOM once the page has loaded; --dump-dom then prints it.
  const script = `<script>addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "image-check";
  out.textContent = JSON.stringify([...document.images].map((i) => [i.getAttribute("src"), i.naturalWidth]));
  document.body.append(out);
});</script>`;
  const page = await Deno.readTextFile(join(artifacts, "index.html"));
  const check = join(artifacts, "image_check.html");
  await Deno.writeTextFile(check, page.replace("</body>", `${script}\n</body>`));
  const dom = await runChromium(
    profile,
    ["--virtual-time-budget=10000", "--dump-dom"],
    `file://${check}`,
  );
  await Deno.remove(check);
  const json = /<pre id="image-check">(.*?)<\/pre>/s.exec(dom)?.[1];
  assert.ok(json !== undefined, "the page's load handler did not run");
  return JSON.parse(json.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&"));
}
