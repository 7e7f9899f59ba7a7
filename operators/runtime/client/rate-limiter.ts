// Client-side rate limiting as client-go's default (flowcontrol's token
// bucket, golang.org/x/time/rate): `burst` requests may go at once, then
// `qps` a second. Opt-in: a RestClient without one sends at once, as before.

export interface RateLimit {
  /** Sustained requests per second. */
  qps: number;
  /** Requests that may go at once after a quiet spell. */
  burst: number;
}

/**
 * A token bucket that starts full. Each request reserves a token; once the
 * bucket is empty it goes into debt and each caller waits until its own token
 * will have been refilled, so requests go in the order they asked.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(limit.qps > 0) || !(limit.burst >= 1)) throw new Error(`a rate limit needs qps > 0 and burst >= 1, not ${limit.qps}/${limit.burst}`);
    this.tokens = limit.burst;
    this.last = now();
  }

  /** Resolves when this request may be sent. */
  async take(): Promise<void> {
    const t = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.last) * this.limit.qps) / 1000);
    this.last = t;
    this.tokens -= 1;
    if (this.tokens < 0) await this.sleep((-this.tokens * 1000) / this.limit.qps);
  }
}
