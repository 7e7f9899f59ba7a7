// Splits a decoded text stream into lines. A watch response is one JSON
// object per line, but chunks end anywhere, including inside a line.

export class LineSplitter {
  private partial = "";

  /** The complete lines in `chunk` (plus what was left over before it), without their line endings; empty lines are skipped. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    return parts.map(stripCR).filter((line) => line !== "");
  }

  /** What remains after the last newline when the stream ends; a truncated line is returned, never dropped. */
  end(): string | undefined {
    const rest = stripCR(this.partial);
    this.partial = "";
    return rest === "" ? undefined : rest;
  }
}

function stripCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
