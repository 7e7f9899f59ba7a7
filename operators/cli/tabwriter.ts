// Go's text/tabwriter as kubectl sets it up for its tables (minwidth 0,
// tabwidth 8, padding 2, pad with spaces): every cell but a line's last is
// padded to its column's widest cell plus two spaces. kubectl's rollout
// tables have the same cells on every line, so a column is the whole table.

const PADDING = 2;

export function tabulate(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd((widths[i] ?? 0) + PADDING) : cell)).join("") + "\n").join("");
}
