// A StatefulSet's history as apps/v1 ControllerRevisions (upstream
// pkg/controller/history and stateful_set_utils.go newRevision,
// ApplyRevision, nextRevision; stateful_set_control.go
// getStatefulSetRevisions and truncateHistory). Pure: the decisions, not
// the writes.
//
// Why real ControllerRevisions rather than a kind of ours: they are what
// the built-in StatefulSet keeps, so `kubectl get controllerrevisions`,
// scripts and people's knowledge work unchanged; the controller reference
// to the mirror StatefulSet makes the garbage collector delete them with it
// (it follows references to custom resources); and the API needs no new kind.
import { PodTemplateSpecSchema } from "../../api/index.ts";
import type { PodTemplateSpec, StatefulSet } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import { newControllerRef } from "../common/index.ts";
import { canonicalize, canonicalJson, computeHash } from "../deployment/util/hash.ts";
import { REVISION_HASH_LABEL, STATEFUL_SET_KIND } from "./names.ts";

/** An apps/v1 ControllerRevision, as the API server serves it. */
export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision?: number;
}

/** What upstream stores: a strategic merge patch that replaces the template. */
export interface RevisionData {
  spec: { template: Record<string, unknown> & { $patch: "replace" } };
}

/** The longest prefix upstream keeps of the owner's name (ControllerRevisionName). */
const MAX_PREFIX = 223;

export function revisionName(setName: string, hash: string): string {
  return `${setName.slice(0, MAX_PREFIX)}-${hash}`;
}

/** The revision's data for a template: the template as parsed (defaults in), canonical, marked to replace. */
export function revisionData(template: PodTemplateSpec): RevisionData {
  return { spec: { template: { ...(canonicalize(template) as Record<string, unknown>), $patch: "replace" } } };
}

/**
 * A new revision of the set's template (upstream newRevision and
 * history.NewControllerRevision): named `<set>-<hash>` with the hash of the
 * template and the collision count, labelled with the template's labels and
 * the hash, annotated with the set's annotations, owned by the set.
 */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision & { metadata: { name: string } } {
  const hash = computeHash(set.spec.template, collisionCount);
  const annotations = set.metadata.annotations;
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: revisionName(set.metadata.name ?? "", hash),
      namespace: set.metadata.namespace,
      labels: { ...set.spec.template.metadata?.labels, [REVISION_HASH_LABEL]: hash },
      ...(annotations && Object.keys(annotations).length > 0 && { annotations: { ...annotations } }),
      ownerReferences: [newControllerRef(set, STATEFUL_SET_KIND)],
    },
    data: revisionData(set.spec.template),
    revision,
  };
}

/** Same data (upstream EqualRevision compares the raw bytes; JSON key order does not matter here). */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** Upstream ApplyRevision: the template a revision records; undefined when its data is not a template. */
export function templateOf(revision: ControllerRevision): PodTemplateSpec | undefined {
  const template = (revision.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!template) return undefined;
  const { $patch: _patch, ...rest } = template;
  const parsed = PodTemplateSpecSchema.safeParse(rest);
  return parsed.success ? parsed.data : undefined;
}

/** Upstream SortControllerRevisions: by revision number, then creation time, then name. */
export function sortRevisions<R extends ControllerRevision>(revisions: readonly R[]): R[] {
  return [...revisions].sort(
    (a, b) =>
      (a.revision ?? 0) - (b.revision ?? 0) ||
      (a.metadata?.creationTimestamp ?? "").localeCompare(b.metadata?.creationTimestamp ?? "") ||
      (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  );
}

/** One more than the highest revision number; 1 for the first (upstream nextRevision). Expects sorted revisions. */
export function nextRevision(sorted: readonly ControllerRevision[]): number {
  const last = sorted.at(-1);
  return last ? (last.revision ?? 0) + 1 : 1;
}

/**
 * How the update revision comes to be (upstream getStatefulSetRevisions):
 * - unchanged: the newest revision already records the template;
 * - reuse: an older one does (a rollback): it becomes the newest by taking the next number, no new object;
 * - create: none does: a new revision with the next number.
 */
export type UpdateRevisionDecision =
  | { kind: "unchanged"; revision: ControllerRevision }
  | { kind: "reuse"; revision: ControllerRevision; to: number }
  | { kind: "create"; revision: ControllerRevision & { metadata: { name: string } } };

/** Decides the update revision from the set's revisions, sorted. */
export function decideUpdateRevision(set: StatefulSet, sorted: readonly ControllerRevision[]): UpdateRevisionDecision {
  const candidate = newRevision(set, nextRevision(sorted), set.status?.collisionCount ?? 0);
  const equal = sorted.filter((r) => equalRevision(r, candidate));
  const newestEqual = equal.at(-1);
  const newest = sorted.at(-1);
  if (newestEqual && newest && equalRevision(newest, newestEqual)) return { kind: "unchanged", revision: newest };
  if (newestEqual) return { kind: "reuse", revision: newestEqual, to: candidate.revision ?? 0 };
  return { kind: "create", revision: candidate };
}

/** The current revision: the one status names, else (a new set, or its revision is gone) the update revision. */
export function currentRevisionOf(set: StatefulSet, sorted: readonly ControllerRevision[], update: ControllerRevision): ControllerRevision {
  return sorted.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
}

/**
 * Upstream truncateHistory: the revisions to delete so that at most
 * revisionHistoryLimit remain besides the live ones (current, update, and
 * any a pod was made from), oldest first.
 */
export function revisionsToTruncate(set: StatefulSet, sorted: readonly ControllerRevision[], live: Iterable<string>): ControllerRevision[] {
  const liveNames = new Set(live);
  const history = sorted.filter((r) => !liveNames.has(r.metadata?.name ?? ""));
  const excess = history.length - set.spec.revisionHistoryLimit;
  return excess > 0 ? history.slice(0, excess) : [];
}
