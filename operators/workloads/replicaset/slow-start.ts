// Upstream slowStartBatch: calls that are likely to all fail the same way (a
// quota, an admission webhook, a terminating namespace) start small, so a
// failure costs one request and one event rather than hundreds.

export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * Calls `fn` `count` times in batches of initialBatchSize, then doubling
 * (1, 2, 4, ...), the calls of one batch concurrently. After a batch with a
 * failure the remaining batches are skipped. Returns how many calls
 * succeeded and the first error of the failed batch, if any.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    successes += batch - failures.length;
    if (failures[0]) return { successes, error: failures[0].reason };
    remaining -= batch;
  }
  return { successes };
}
