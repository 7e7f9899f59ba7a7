/** Step-by-step progress on stderr, each line with the time since start. */
export class Progress {
  private readonly start = Date.now();

  constructor(private readonly prefix = "cluster") {}

  elapsed(): string {
    return formatDuration(Date.now() - this.start);
  }

  say(message: string): void {
    process.stderr.write(`[${this.prefix} ${this.elapsed()}] ${message}\n`);
  }
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
