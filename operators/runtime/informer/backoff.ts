// Reconnect timing for the reflector. Pure: randomness is passed in.
import { exponentialDelay } from "../queue/rate-limiters.ts";

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** kube-rs's watcher default and client-go's reflector backoff range. */
export const defaultWatchBackoff: BackoffPolicy = { initialMs: 800, maxMs: 30_000 };

/**
 * The ceiling doubles per failed attempt (initialMs · 2^attempt, capped at
 * maxMs); the delay is uniform in [ceiling/2, ceiling]. The jitter keeps many
 * informers (or operator replicas) from reconnecting in lockstep after an API
 * server restart, and stays within the cap.
 */
export function reconnectDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const ceiling = exponentialDelay(policy.initialMs, attempt, policy.maxMs);
  return ceiling / 2 + (ceiling / 2) * random();
}

/** client-go: a random watch timeout in [min, 2·min) so watches of many clients do not all end together. */
export function watchTimeoutSeconds(minSeconds: number, random: () => number): number {
  return Math.floor(minSeconds * (1 + random()));
}
