// The README's "A first hour with mirrorkube" as data: its steps, each with
// the shell blocks a user types and the output the README says they will
// see. test/e2e/tour.test.ts runs the blocks; nothing else holds a copy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./cluster/paths.ts";

export const readmeFile = join(repoRoot, "README.md");
export const TOUR_HEADING = "## A first hour with mirrorkube";

export interface TourBlock {
  /** The block's text: one bash script. */
  code: string;
  fails: boolean;
}

export interface TourStep {
  /** The heading without its `### `. */
  title: string;
  blocks: TourBlock[];
  /** The ```text blocks of the step, joined: what the README promises. */
  shown: string;
}

export interface Tour {
  /** The ```sh blocks before the first step (the user's setup; the test sets up its own). */
  setup: string[];
  steps: TourStep[];
}

export function parseTour(markdown: string): Tour {
  const start = markdown.indexOf(`\n${TOUR_HEADING}\n`);
  if (start < 0) throw new Error(`no "${TOUR_HEADING}" section`);
  const body = markdown.slice(start + TOUR_HEADING.length + 2);
  const end = body.search(/^## /m);
  const [intro = "", ...stepTexts] = (end < 0 ? body : body.slice(0, end)).split(/^### /m);
  return { setup: blocks(intro).filter((b) => b.lang === "sh").map((b) => b.code), steps: stepTexts.map(step) };
}

export function readTour(file = readmeFile): Tour {
  return parseTour(readFileSync(file, "utf8"));
}

function step(text: string): TourStep {
  const title = text.slice(0, text.indexOf("\n")).trim();
  const all = blocks(text);
  return {
    title,
    blocks: all.filter((b) => b.lang === "sh").map(({ code, fails }) => ({ code, fails })),
    shown: all
      .filter((b) => b.lang === "text")
      .map((b) => b.code)
      .join(""),
  };
}

/** The fenced blocks of a text; `<!-- tour: fails -->` on the line before a block says it is meant to exit non-zero. */
function blocks(text: string): { lang: string; code: string; fails: boolean }[] {
  return [...text.matchAll(/(<!-- tour: fails -->\n)?```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[2] ?? "", code: m[3] ?? "", fails: m[1] !== undefined }));
}
