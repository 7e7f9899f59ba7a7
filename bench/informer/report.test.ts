import { describe, expect, it } from "vitest";
import { median, spliceSection } from "./report.ts";

describe("spliceSection", () => {
  it("appends the section to a README without one", () => {
    expect(spliceSection("# Benchmarks\n\nintro\n", "## informer\n")).toBe(
      "# Benchmarks\n\nintro\n\n<!-- bench:informer:begin -->\n## informer\n<!-- bench:informer:end -->\n",
    );
  });

  it("replaces only its own section", () => {
    const readme = "# B\n\n## other\nkept\n\n<!-- bench:informer:begin -->\nold\n<!-- bench:informer:end -->\n\n## later\nkept too\n";
    expect(spliceSection(readme, "new\n")).toBe("# B\n\n## other\nkept\n\n<!-- bench:informer:begin -->\nnew\n<!-- bench:informer:end -->\n\n## later\nkept too\n");
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
