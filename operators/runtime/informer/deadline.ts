// An AbortSignal that fires when its parent aborts or when nothing happened
// for `idleMs`: the reflector's guard against a connection that stays open
// but silent (client-node #364, #596, #958), for watches and list pages alike.
import type { Clock } from "../queue/clock.ts";

export class IdleDeadline {
  private readonly controller = new AbortController();
  private lastActivity: number;
  private cancelTimer: () => void;
  private idle = false;
  private readonly onParentAbort = () => this.controller.abort(this.parent.reason);

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly parent: AbortSignal,
  ) {
    this.lastActivity = clock.now();
    this.cancelTimer = this.schedule(idleMs);
    if (parent.aborted) this.onParentAbort();
    else parent.addEventListener("abort", this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the deadline (not the parent) aborted the signal. */
  get expired(): boolean {
    return this.idle;
  }

  /** Something happened: the idle period starts again. Cheap, as it runs for every watch line. */
  touch(): void {
    this.lastActivity = this.clock.now();
  }

  dispose(): void {
    this.cancelTimer();
    this.parent.removeEventListener("abort", this.onParentAbort);
  }

  // One timer, re-armed only when it fires early because of activity since.
  private schedule(ms: number): () => void {
    return this.clock.setTimer(ms, () => {
      const quietFor = this.clock.now() - this.lastActivity;
      if (quietFor < this.idleMs) {
        this.cancelTimer = this.schedule(this.idleMs - quietFor);
        return;
      }
      this.idle = true;
      this.controller.abort(new Error(`no activity for ${Math.round(quietFor / 1000)}s`));
    });
  }
}
