/**
 * Polls until `check` returns a value other than undefined/false (or stops
 * throwing), and returns it. Fails with the last error or value after the
 * deadline: tests synchronise on observed state, never on sleeps.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 200, what = "condition" } = opts;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
