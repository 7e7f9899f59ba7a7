import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./cluster/paths.ts";
import { defaultImage } from "./image.ts";

describe("the manager image", () => {
  it("is tagged as the chart installs it by default (repository mirrorkube, tag appVersion)", () => {
    const chart = parse(readFileSync(join(repoRoot, "charts", "mirrorkube", "Chart.yaml"), "utf8")) as { appVersion: string };
    const values = parse(readFileSync(join(repoRoot, "charts", "mirrorkube", "values.yaml"), "utf8")) as { image: { repository: string; tag: string } };
    expect(defaultImage()).toBe(`${values.image.repository}:${chart.appVersion}`);
    expect(values.image.tag).toBe("");
  });

  it("runs the compiled manager as a non-root user by number", () => {
    const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/operators\/main\.js"\]$/m);
    const build = JSON.parse(readFileSync(join(repoRoot, "tsconfig.build.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")) as { files: string[]; compilerOptions: { outDir: string } };
    expect(build.files).toEqual(["operators/main.ts"]);
    expect(build.compilerOptions.outDir).toBe("dist");
  });
});
