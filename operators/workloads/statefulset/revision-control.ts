// Writing a StatefulSet's ControllerRevisions (upstream
// pkg/controller/history realHistory: CreateControllerRevision,
// UpdateControllerRevision, DeleteControllerRevision).
import type { StatefulSet } from "../../api/index.ts";
import { isAlreadyExists, isNotFound } from "../../runtime/client/index.ts";
import type { DeleteOptions, ObjectKey, Patch } from "../../runtime/client/index.ts";
import type { ControllerRevision, UpdateRevisionDecision } from "./revision.ts";
import { equalRevision, newRevision } from "./revision.ts";

export interface RevisionClient {
  create(revision: ControllerRevision): Promise<ControllerRevision>;
  get(key: ObjectKey): Promise<ControllerRevision>;
  patch(key: ObjectKey, patch: Patch): Promise<ControllerRevision>;
  delete(key: ObjectKey, options?: DeleteOptions): Promise<unknown>;
}

/**
 * Makes the decided update revision real and returns it with the collision
 * count to report. Creating finds a name taken either by the same data (a
 * cache behind: that revision is the one) or by other data (a hash
 * collision: count it and try the next name), as upstream.
 */
export async function establishUpdateRevision(
  client: RevisionClient,
  set: StatefulSet,
  decision: UpdateRevisionDecision,
  collisionCount: number,
): Promise<{ revision: ControllerRevision; collisionCount: number }> {
  const namespace = set.metadata.namespace;
  switch (decision.kind) {
    case "unchanged":
      return { revision: decision.revision, collisionCount };
    case "reuse": {
      const name = decision.revision.metadata?.name ?? "";
      const revision = await client.patch({ namespace, name }, { type: "merge", patch: { revision: decision.to } });
      return { revision, collisionCount };
    }
    case "create": {
      let count = collisionCount;
      let candidate = decision.revision;
      for (;;) {
        try {
          return { revision: await client.create(candidate), collisionCount: count };
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          const existing = await client.get({ namespace, name: candidate.metadata.name });
          if (equalRevision(existing, candidate)) return { revision: existing, collisionCount: count };
          count++;
          candidate = newRevision(set, candidate.revision ?? 0, count);
        }
      }
    }
  }
}

/** Deletes revisions beyond the history limit; one already gone is fine. */
export async function deleteRevisions(client: RevisionClient, revisions: readonly ControllerRevision[]): Promise<void> {
  for (const r of revisions) {
    try {
      await client.delete({ namespace: r.metadata?.namespace, name: r.metadata?.name ?? "" }, { preconditions: { uid: r.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
