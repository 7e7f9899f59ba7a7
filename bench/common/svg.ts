// A small SVG line chart for benchmark results: lines over shared axes with
// round ticks, a legend, vertical markers and horizontal guides. Plain
// strings, no chart library; GitHub renders the file inline.

export interface Series {
  name: string;
  color: string;
  /** [x, y] in data units, x ascending. */
  points: readonly (readonly [number, number])[];
}

/** A dashed vertical line at x (an event on one series, in its color). */
export interface Marker {
  x: number;
  color: string;
  label: string;
}

/** A dotted horizontal line at y (a bound the data should respect). */
export interface Guide {
  y: number;
  label: string;
}

export interface LineChart {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  markers?: Marker[];
  guides?: Guide[];
  width?: number;
  height?: number;
}

const margin = { top: 64, right: 24, bottom: 92, left: 72 };

/** Round tick values covering [0, max]: steps of 1, 2 or 5 times a power of ten, about `count` of them. */
export function ticks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(Number(v.toPrecision(12)));
  if ((out.at(-1) ?? 0) < max) out.push(Number((out.length * step).toPrecision(12)));
  return out;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);
const label = (n: number) => n.toLocaleString("en-US");

export function lineChartSvg(c: LineChart): string {
  const width = c.width ?? 900;
  const height = c.height ?? 480;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = c.series.flatMap((s) => s.points);
  const xTicks = ticks(Math.max(0, ...all.map(([x]) => x), ...(c.markers ?? []).map((m) => m.x)));
  // A tenth of headroom, so a line at its maximum does not run along the frame.
  const yTicks = ticks(1.1 * Math.max(0, ...all.map(([, y]) => y), ...(c.guides ?? []).map((g) => g.y)));
  const xMax = xTicks.at(-1) || 1;
  const yMax = yTicks.at(-1) || 1;
  const px = (x: number) => margin.left + (x / xMax) * plotW;
  const py = (y: number) => margin.top + plotH - (y / yMax) * plotH;
  const text = (x: number, y: number, body: string, attrs = "") => `<text x="${fmt(x)}" y="${fmt(y)}"${attrs}>${escapeXml(body)}</text>`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    text(margin.left, 24, c.title, ' font-size="16" font-weight="bold"'),
  ];
  if (c.subtitle) parts.push(text(margin.left, 44, c.subtitle, ' fill="#555"'));
  for (const t of yTicks) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${fmt(py(t))}" y2="${fmt(py(t))}" stroke="#e5e5e5"/>`);
    parts.push(text(margin.left - 8, py(t) + 4, label(t), ' text-anchor="end"'));
  }
  for (const t of xTicks) {
    parts.push(`<line x1="${fmt(px(t))}" x2="${fmt(px(t))}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 5}" stroke="#333"/>`);
    parts.push(text(px(t), margin.top + plotH + 20, label(t), ' text-anchor="middle"'));
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(text(margin.left + plotW / 2, margin.top + plotH + 40, c.xLabel, ' text-anchor="middle"'));
  parts.push(text(18, margin.top + plotH / 2, c.yLabel, ` text-anchor="middle" transform="rotate(-90 18 ${fmt(margin.top + plotH / 2)})"`));
  for (const g of c.guides ?? []) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${fmt(py(g.y))}" y2="${fmt(py(g.y))}" stroke="#888" stroke-dasharray="2 3"/>`);
    parts.push(text(margin.left + plotW - 4, py(g.y) - 4, g.label, ' text-anchor="end" fill="#555"'));
  }
  for (const [i, m] of (c.markers ?? []).entries()) {
    parts.push(`<line x1="${fmt(px(m.x))}" x2="${fmt(px(m.x))}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="${m.color}" stroke-dasharray="6 4"/>`);
    // Labels stack up from the bottom of the plot, where lines that end at their maximum leave room.
    parts.push(text(px(m.x) + 4, margin.top + plotH - 8 - 16 * i, m.label, ` fill="${m.color}"`));
  }
  for (const s of c.series) {
    const d = s.points.map(([x, y]) => `${fmt(px(x))},${fmt(py(y))}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${d}"><title>${escapeXml(s.name)}</title></polyline>`);
  }
  // The legend in rows below the axis label, a row wrapping where the next name would not fit.
  let legendX = margin.left;
  let legendY = margin.top + plotH + 64;
  for (const s of c.series) {
    const itemWidth = 44 + s.name.length * 7.5;
    if (legendX > margin.left && legendX + itemWidth > width - margin.right) {
      legendX = margin.left;
      legendY += 18;
    }
    parts.push(`<line x1="${legendX}" x2="${legendX + 24}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.color}" stroke-width="3"/>`);
    parts.push(text(legendX + 30, legendY, s.name));
    legendX += itemWidth;
  }
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
