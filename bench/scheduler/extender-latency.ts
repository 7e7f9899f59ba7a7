// The extender's latency per call as kube-scheduler sees it: filter and
// prioritize for one pending Pod over every node name, called one after the
// other from a client on the same machine.
import { podManifest } from "./pods.ts";

export interface LatencyResult {
  verb: "filter" | "prioritize";
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export async function measureExtender(url: string, nodeNames: string[], calls: number): Promise<LatencyResult[]> {
  const body = JSON.stringify({ Pod: podManifest("builtin", "bench", 0), NodeNames: nodeNames });
  const results: LatencyResult[] = [];
  for (const verb of ["filter", "prioritize"] as const) {
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      const res = await fetch(`${url}/${verb}`, { method: "POST", body, headers: { "Content-Type": "application/json" } });
      await res.text();
      if (!res.ok) throw new Error(`extender ${verb}: HTTP ${res.status}`);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    results.push({ verb, calls, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99), maxMs: times.at(-1) ?? NaN });
  }
  return results;
}
