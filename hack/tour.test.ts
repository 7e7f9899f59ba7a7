import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./cluster/paths.ts";
import { parseTour, readTour } from "./tour.ts";

describe("parseTour", () => {
  const md = [
    "# x",
    "## A first hour with mirrorkube",
    "intro",
    "```sh\nexport A=1\n```",
    "### 1. One",
    "```sh\necho one\n```",
    "```text\none\n```",
    "<!-- tour: fails -->",
    "```sh\nfalse\n```",
    "### 2. Two",
    "```sh\necho two\n```",
    "## Next",
    "```sh\nnot in the tour\n```",
    "",
  ].join("\n");

  it("splits the section into steps of shell blocks and shown output, until the next section", () => {
    expect(parseTour(md)).toEqual({
      setup: ["export A=1\n"],
      steps: [
        { title: "1. One", blocks: [{ code: "echo one\n", fails: false }, { code: "false\n", fails: true }], shown: "one\n" },
        { title: "2. Two", blocks: [{ code: "echo two\n", fails: false }], shown: "" },
      ],
    });
  });

  it("fails without the section", () => {
    expect(() => parseTour("# nothing\n")).toThrow(/A first hour/);
  });
});

describe("the README's tour", () => {
  const tour = readTour();

  it("has its steps, each with commands and what they show", () => {
    expect(tour.steps.length).toBeGreaterThanOrEqual(6);
    for (const s of tour.steps) {
      expect(s.blocks.length, s.title).toBeGreaterThan(0);
      expect(s.shown, s.title).not.toBe("");
    }
  });

  it("names only example files that exist", () => {
    const paths = tour.steps.flatMap((s) => s.blocks.flatMap((b) => [...b.code.matchAll(/examples\/[\w/.-]+\.yaml/g)].map((m) => m[0])));
    expect(paths.length).toBeGreaterThan(10);
    for (const p of paths) expect(existsSync(join(repoRoot, p)), p).toBe(true);
  });
});
