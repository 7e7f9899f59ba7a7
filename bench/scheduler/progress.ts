// How far a scheduler got: its own scheduler_schedule_attempts_total
// {result="scheduled"} (kube-scheduler's metric; mirrorkube's scheduler has
// the same), sampled until every Pod is bound.
import { sumMetric } from "../rollout/counters.ts";

export interface Timeline {
  /** ms from process start to the first bind. */
  firstBindMs: number;
  /** ms from process start to the last bind. */
  lastBindMs: number;
}

export function scheduledCount(metrics: string): number {
  return sumMetric(metrics, "scheduler_schedule_attempts_total", "result").scheduled ?? 0;
}

export async function waitScheduled(fetchMetrics: () => Promise<string>, started: number, count: number, timeoutMs: number): Promise<Timeline> {
  let firstBindMs: number | undefined;
  for (;;) {
    const now = performance.now();
    const scheduled = scheduledCount(await fetchMetrics().catch(() => ""));
    if (scheduled > 0) firstBindMs ??= now - started;
    if (scheduled >= count) return { firstBindMs: firstBindMs ?? now - started, lastBindMs: now - started };
    if (now - started > timeoutMs) throw new Error(`only ${scheduled} of ${count} pods scheduled after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
