import type { ReplicaSet } from "../../../api/index.ts";
import { MAX_REVISION_HISTORY_CHARS, REVISION_ANNOTATION } from "./constants.ts";

// Revisions: the rollout sequence numbers a Deployment's ReplicaSets carry
// (upstream Revision, MaxRevision, LastRevision, ReplicaSetsByRevision).

/** A revision string as Go's strconv.ParseInt reads it; undefined when it is not one. */
export function parseRevision(value: string): number | undefined {
  return /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/** The revision of an object: 0 when it has none, undefined when the annotation is malformed. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  return v === undefined ? 0 : parseRevision(v);
}

/** The highest revision among the ReplicaSets (0 for none); malformed ones are skipped. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** The second-highest revision: what "roll back to the previous revision" means (upstream LastRevision). */
export function lastRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) {
      second = v;
    }
  }
  return second;
}

/**
 * The revision-history annotation after `oldRevision` is appended: the
 * oldest entries go first once the list would pass the length limit, and
 * nothing is appended if even that does not make room (upstream
 * SetNewReplicaSetAnnotations). undefined means "leave it as it is".
 */
export function appendRevisionHistory(history: string | undefined, oldRevision: string, limit = MAX_REVISION_HISTORY_CHARS): string | undefined {
  const entries = (history ?? "").split(",");
  if ((entries[0] ?? "").length === 0) return oldRevision;
  let total = (history ?? "").length + oldRevision.length + 1;
  let start = 0;
  while (total > limit && start < entries.length) {
    total -= (entries[start] ?? "").length + 1;
    start++;
  }
  if (total > limit) return undefined;
  return [...entries.slice(start), oldRevision].join(",");
}
