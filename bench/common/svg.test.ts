import { describe, expect, it } from "vitest";
import { escapeXml, lineChartSvg, ticks } from "./svg.ts";

describe("ticks", () => {
  it("covers the range with steps of 1, 2 or 5 times a power of ten", () => {
    expect(ticks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticks(350.8)).toEqual([0, 100, 200, 300, 400]);
    expect(ticks(7, 6)).toEqual([0, 2, 4, 6, 8]);
    expect(ticks(0.3)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(ticks(0)).toEqual([0]);
  });
});

describe("lineChartSvg", () => {
  const svg = lineChartSvg({
    title: "a <title> & more",
    xLabel: "seconds",
    yLabel: "replicas",
    width: 200 + 72 + 24,
    height: 100 + 64 + 92,
    series: [{ name: "one", color: "#123456", points: [[0, 0], [5, 10], [10, 10]] }],
    markers: [{ x: 5, color: "#123456", label: "new template" }],
    guides: [{ y: 5, label: "floor" }],
  });

  it("is one well-formed svg element with escaped text", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("a &lt;title&gt; &amp; more");
    expect(escapeXml(`"'`)).toBe("&quot;&apos;");
  });

  it("maps data to the plot area: x from the left margin, y up from the bottom", () => {
    // Plot 200 × 100 at (72, 64); x from 0 to 10, y from 0 to 12 (10 and a tenth of headroom, rounded to a tick).
    expect(svg).toContain('points="72,164 172,80.7 272,80.7"');
    expect(svg).toContain('<line x1="172" x2="172" y1="64" y2="164" stroke="#123456" stroke-dasharray="6 4"/>');
    expect(svg).toContain('<line x1="72" x2="272" y1="122.3" y2="122.3" stroke="#888" stroke-dasharray="2 3"/>');
    expect(svg).toContain(">new template</text>");
    expect(svg).toContain(">one</text>");
  });
});
