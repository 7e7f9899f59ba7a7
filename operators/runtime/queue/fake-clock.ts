// A manually advanced Clock for tests: timers fire only inside advance(), in
// deadline order, so a test decides exactly when time passes.
import type { Clock } from "./clock.ts";

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Map<number, PendingTimer>();

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const seq = this.seq++;
    this.timers.set(seq, { at: this.time + Math.max(0, ms), seq, fn });
    return () => this.timers.delete(seq);
  }

  /** Number of timers not yet fired or cancelled. */
  pending(): number {
    return this.timers.size;
  }

  /** Deadlines of the pending timers, relative to now, soonest first. */
  pendingDelays(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, including ones set by fired timers. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > end) break;
      this.timers.delete(next.seq);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }

  private earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
