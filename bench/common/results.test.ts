import { describe, expect, it } from "vitest";
import { withSection } from "./results.ts";

describe("withSection", () => {
  it("appends the section to a README without one", () => {
    expect(withSection("# Benchmarks\n\nintro\n", "informer", "## informer\n")).toBe(
      "# Benchmarks\n\nintro\n\n<!-- bench:informer:begin -->\n## informer\n<!-- bench:informer:end -->\n",
    );
  });

  it("replaces only its own section", () => {
    const readme = "# B\n\n## other\nkept\n\n<!-- bench:informer:begin -->\nold\n<!-- bench:informer:end -->\n\n## later\nkept too\n";
    expect(withSection(readme, "informer", "new\n")).toBe("# B\n\n## other\nkept\n\n<!-- bench:informer:begin -->\nnew\n<!-- bench:informer:end -->\n\n## later\nkept too\n");
  });
});
