/**
 * `figures.md`: the figures as Markdown image links, in the post's order, with their captions,
 * ready to paste into the post.
 *
 * @module
 */
import type { FigureList } from "./figure_list.ts";

/**
 * The Markdown snippet for `list`, each image linked as `base` + its published name.
 *
 * @example
 * ```ts
 * import { figuresMarkdown } from "./figures_markdown.ts";
 * import { figureList } from "./figure_list.ts";
 * const md = figuresMarkdown(figureList({}), "/assets/");
 * md.includes("![The point cloud and the noiseless curve](/assets/data.svg)"); // true
 * ```
 */
export function figuresMarkdown(list: FigureList, base = ""): string {
  const lines = [
    '<!-- Figures of "Pseudo-invertible networks", in the post\'s order. Written by ' +
    "`deno task publish`; regenerate rather than edit. -->",
  ];
  for (const section of list.sections) {
    lines.push("", `<!-- ${section.title} -->`);
    for (const part of section.parts) {
      const about = [part.label, part.config === undefined ? undefined : `(${part.config})`]
        .filter((t) => t !== undefined).join(" ");
      const heading = [about, part.intro].filter((t) => t !== undefined && t !== "").join(": ");
      if (heading !== "") lines.push("", `<!-- ${heading} -->`);
      for (const figure of part.figures) {
        lines.push("", `![${figure.alt}](${base}${figure.name})`, "", `*${figure.caption}*`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
