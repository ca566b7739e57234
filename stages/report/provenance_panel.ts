/**
 * The "how this was made" panels of the index page. The page is a stage's output and cannot know
 * the keys of the results it shows (its own key would depend on them); the engine writes that
 * record after the run into `provenance.js` beside the page. So the page carries an empty
 * `<details>` panel per figure, table and claim, naming its file, and a small script fills each
 * from the record when the page is opened — from `file://` too, where a script may be loaded but
 * a JSON file may not be fetched.
 *
 * @module
 */
import { PROVENANCE_GLOBAL } from "../../pipeline/core/provenance.ts";
import { escapeHtml } from "./metrics_table.ts";

/**
 * An empty panel for the published file `path` (relative to `artifacts/`), filled on load.
 *
 * @example
 * ```ts
 * import { provenancePanel } from "./provenance_panel.ts";
 * provenancePanel("metrics.csv").startsWith('<details class="provenance" data-artifact="metrics.csv">'); // true
 * ```
 */
export function provenancePanel(path: string): string {
  return `<details class="provenance" data-artifact="${escapeHtml(path)}"><summary>how this ` +
    `was made</summary><div class="prov">Open with <code>provenance.js</code> beside this page, ` +
    `or run <code>deno task why ${escapeHtml(path)}</code>.</div></details>`;
}

/** The panels' style. */
export const PROVENANCE_CSS = `
details.provenance { font-size: 0.8em; color: #555; margin-top: 2px; max-width: 640px; }
details.provenance summary { cursor: pointer; color: #777; }
details.provenance table { border-collapse: collapse; margin: 4px 0; }
details.provenance th { text-align: left; vertical-align: top; padding: 1px 8px 1px 0;
  font-weight: 600; white-space: nowrap; }
details.provenance td { padding: 1px 0; word-break: break-word; }
details.provenance code { font-size: 0.95em; }
`.trim();

/**
 * The page's scripts: `provenance.js` (the engine's record), then the code that fills every
 * panel from it: the stage, its key (short; the full key in `data-key`), parameters, inputs with
 * their keys, code hash with Deno and npm versions, executor, host, start, end and duration.
 */
export const PROVENANCE_SCRIPTS = `<script src="provenance.js"></script>
<script>
(() => {
  const record = globalThis.${PROVENANCE_GLOBAL};
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const short = (k) => '<code title="' + esc(k) + '">' + esc(k.slice(0, 12)) + "</code>";
  const row = (name, html) => "<tr><th>" + name + "</th><td>" + html + "</td></tr>";
  for (const panel of document.querySelectorAll("details.provenance")) {
    const body = panel.querySelector(".prov");
    const path = panel.dataset.artifact;
    const published = record && record.artifacts[path];
    const stage = published && record.stages[published.stage];
    if (!stage) {
      body.textContent = record
        ? "No record of " + path + " in provenance.js: run deno task reproduce."
        : "provenance.js did not load: run deno task reproduce.";
      continue;
    }
    panel.dataset.key = stage.key;
    panel.dataset.stage = published.stage;
    const params = Object.entries(stage.params)
      .map(([p, v]) => "<code>" + esc(p) + "</code> = " + esc(JSON.stringify(v))).join("<br>");
    const inputs = Object.entries(stage.inputs)
      .map(([n, i]) => (n === i.stage ? "" : esc(n) + " ← ") + esc(i.stage) + " " + short(i.key));
    const code = record.code[stage.code];
    const npm = code ? Object.entries(code.npm).map(([p, v]) => esc(p) + " " + esc(v)).join(", ") : "";
    const ran = stage.ran
      ? esc(stage.ran.executor) + " on " + esc(stage.ran.host) + (stage.ran.job ? " (job " + esc(stage.ran.job) + ")" : "")
      : "not recorded";
    body.innerHTML = "<table>" +
      row("stage", "<code>" + esc(published.stage) + "</code>" + (stage.producedBy ? " (result of " + esc(stage.producedBy) + ")" : "")) +
      row("key", short(stage.key)) +
      row("file", "sha256 " + short(published.hash)) +
      row("parameters", params || "none") +
      row("inputs", inputs.length === 0 ? "none (a source)" : inputs.length > 6
        ? inputs.slice(0, 6).join("<br>") + "<br>… and " + (inputs.length - 6) + " more"
        : inputs.join("<br>")) +
      row("code", short(stage.code) + (code ? "; Deno " + esc(code.deno) + (npm ? "; npm " + npm : "") : "")) +
      row("ran", ran) +
      row("when", esc(stage.started) + " → " + esc(stage.finished) + " (" + stage.seconds.toFixed(1) + " s)") +
      "</table>In a terminal: <code>deno task why " + esc(path) + "</code>";
  }
})();
</script>`;
