// The effects: carries out a Plan against the API server. Writes to the
// mirror Pod carry its resourceVersion (a stale cache ends in a 409, which
// requeues quietly); writes to the real Pod are pinned to its UID, so a
// same-named Pod that is not ours is never touched.
import type { Pod } from "../../api/index.ts";
import { ApiError, isAlreadyExists, isConflict, isInvalid, isNotFound, type ResourceClient } from "../../runtime/client/index.ts";
import { requestKey, TerminalError } from "../../runtime/controller/request.ts";
import type { EventType } from "../../runtime/events/event.ts";
import type { Expectations } from "../../runtime/expectations.ts";
import { formatTime } from "../common/index.ts";
import { Messages, POD_REALIZER, REALIZER_FINALIZER, Reasons } from "./names.ts";
import type { Action, Plan } from "./plan.ts";
import type { MirrorPodObject, RealPod } from "./resources.ts";
import { notRealizedStatus } from "./status.ts";

export interface Effects {
  mirrors: ResourceClient<MirrorPodObject>;
  reals: ResourceClient<RealPod>;
  recorder: { event(obj: MirrorPodObject, type: EventType, reason: string, message: string): void };
  /** Creations of real Pods not yet seen in the cache, by mirror Pod key. */
  expectations: Expectations;
}

/** The mirror Pod a plan is about: as stored (what is written back) and as parsed, if it parses. */
export interface Subject {
  stored: MirrorPodObject;
  parsed: Pod | undefined;
  now: number;
}

const fieldManager = POD_REALIZER;

export async function carryOut(plan: Plan, subject: Subject, effects: Effects): Promise<void> {
  let current = subject.stored;
  for (const action of plan.actions) {
    const next = await perform(action, current, subject, effects);
    // The mirror Pod is gone: whatever was left to do went with it.
    if (next === "gone") return;
    if (next) current = next;
  }
}

/** Returns the mirror Pod as written, when the action wrote it. */
async function perform(action: Action, mirror: MirrorPodObject, subject: Subject, fx: Effects): Promise<MirrorPodObject | "gone" | void> {
  const key = keyOf(mirror);
  switch (action.kind) {
    case "addFinalizer":
    case "removeFinalizer": {
      const finalizers = (mirror.metadata?.finalizers ?? []).filter((f) => f !== REALIZER_FINALIZER);
      if (action.kind === "addFinalizer") finalizers.push(REALIZER_FINALIZER);
      // resourceVersion in a merge patch makes it conditional: the list is replaced whole.
      const patch = { metadata: { finalizers, resourceVersion: mirror.metadata?.resourceVersion } };
      return mirrorWrite(() => fx.mirrors.patch(key, { type: "merge", patch }, { fieldManager }));
    }
    case "setNodeName":
      return mirrorWrite(() => fx.mirrors.patch(key, { type: "merge", patch: { spec: { nodeName: action.nodeName } } }, { fieldManager }));
    case "writeStatus":
      return mirrorWrite(() => fx.mirrors.updateStatus({ ...mirror, status: action.status }, { fieldManager }));
    case "patchDisplay":
      return mirrorWrite(() => fx.mirrors.patchStatus(key, { type: "merge", patch: { status: action.display } }, { fieldManager }));
    case "event":
      fx.recorder.event(mirror, action.type, action.reason, action.message);
      return;
    case "createRealPod":
      return createRealPod(action.pod, mirror, subject, fx);
    case "deleteRealPod":
      try {
        await fx.reals.delete(key, { gracePeriodSeconds: action.gracePeriodSeconds, preconditions: { uid: action.uid } });
      } catch (err) {
        // Gone already, or the name now belongs to another Pod (uid precondition): nothing of ours to delete.
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
      return;
    case "patchRealMetadata":
      try {
        // metadata.uid pins the patch to our Pod: on any other Pod of that name the API server refuses it (uid is immutable).
        await fx.reals.patch(key, { type: "merge", patch: { metadata: { uid: action.uid, ...action.patch } } }, { fieldManager });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
  }
}

async function createRealPod(pod: RealPod, mirror: MirrorPodObject, subject: Subject, fx: Effects): Promise<MirrorPodObject | "gone" | void> {
  const key = requestKey(keyOf(mirror));
  fx.expectations.expectCreations(key, 1);
  try {
    await fx.reals.create(pod, { fieldManager });
    return;
  } catch (err) {
    fx.expectations.lowerCreations(key, 1);
    // Our cache has not seen that Pod yet: look again once it has (ours, or a conflict).
    if (isAlreadyExists(err)) throw err;
    const message = Messages.failedCreate(err instanceof Error ? err.message : String(err));
    fx.recorder.event(mirror, "Warning", Reasons.failedCreate, message);
    if (subject.parsed) {
      const status = notRealizedStatus(subject.parsed, Reasons.failedCreate, message, formatTime(new Date(subject.now)));
      const written = await mirrorWrite(() => fx.mirrors.updateStatus({ ...mirror, status }, { fieldManager }));
      if (written === "gone") return written;
    }
    // A spec the API server rejects stays rejected until the mirror Pod changes (which enqueues it again).
    if (isInvalid(err) || (err instanceof ApiError && err.code === 400)) throw new TerminalError(message, { cause: err });
    throw err;
  }
}

async function mirrorWrite(write: () => Promise<MirrorPodObject>): Promise<MirrorPodObject | "gone"> {
  try {
    return await write();
  } catch (err) {
    if (isNotFound(err)) return "gone";
    throw err;
  }
}

function keyOf(obj: MirrorPodObject): { namespace: string; name: string } {
  return { namespace: obj.metadata?.namespace ?? "", name: obj.metadata?.name ?? "" };
}
