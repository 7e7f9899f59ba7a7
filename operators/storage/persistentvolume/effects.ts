// Carrying out the binder's actions. Every write is a merge patch that
// carries the resourceVersion it was computed from, so a stale cache never
// overwrites a newer state (a 409 retries the sync); every answer goes into
// the assume caches, so the next sync sees it even before the watch does.
import type { PersistentVolume, PersistentVolumeClaim } from "../../api/index.ts";
import { isNotFound, type ResourceClient } from "../../runtime/client/index.ts";
import type { EventType } from "../../runtime/events/event.ts";
import type { AssumeCache } from "../assume-cache.ts";
import { ANN_BETA_STORAGE_PROVISIONER, ANN_STORAGE_PROVISIONER } from "../names.ts";
import type { RawObject } from "../resources.ts";
import { claimBindPatch, claimStatusPatch, volumeBindPatch, volumePhasePatch, volumeUnbindPatch, type Action, type EventSpec } from "./actions.ts";

/** What the effects need of a client (ResourceClient has it; tests give an in-memory API). */
export type ObjectWriter = Pick<ResourceClient<RawObject>, "get" | "patch" | "patchStatus">;

export interface BinderEffects {
  volumes: ObjectWriter;
  claims: ObjectWriter;
  volumeCache: AssumeCache<RawObject>;
  claimCache: AssumeCache<RawObject>;
  parseVolume(raw: RawObject): PersistentVolume | undefined;
  parseClaim(raw: RawObject): PersistentVolumeClaim | undefined;
  recorder: { event(obj: RawObject, type: EventType, reason: string, message: string): void };
  enqueueClaim(key: string): void;
  /** metav1.Time of now. */
  now(): string;
}

/** Stops the remaining actions without an error: the sync is simply looked at again shortly. */
export class StaleCache extends Error {}

type Patch = Record<string, unknown>;

function keyOf(key: string): { namespace?: string; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export async function carryOut(actions: readonly Action[], fx: BinderEffects): Promise<void> {
  for (const action of actions) await carryOutOne(action, fx);
}

async function carryOutOne(action: Action, fx: BinderEffects): Promise<void> {
  switch (action.kind) {
    case "bind":
      return bind(action.volume, action.claim, fx);
    case "claimStatus": {
      const claim = currentClaim(action.claim, fx);
      const volume = action.volume ? currentVolume(action.volume, fx) : undefined;
      const changed = claim.status.phase !== action.phase;
      const written = await writeClaim(action.claim, claimStatusPatch(claim, action.phase, volume), true, fx);
      if (changed && action.event) emit(written ?? rawClaim(action.claim, fx), action.event, fx);
      return;
    }
    case "volumePhase":
      return setVolumePhase(action.volume, action.phase, action.event, action.confirmClaimGone ?? false, fx);
    case "unbindVolume": {
      const volume = currentVolume(action.volume, fx);
      await writeVolume(action.volume, volumeUnbindPatch(volume), false, fx);
      return setVolumePhase(action.volume, "Available", undefined, false, fx);
    }
    case "assignClass": {
      const claim = currentClaim(action.claim, fx);
      await writeClaim(action.claim, { metadata: { resourceVersion: claim.metadata.resourceVersion }, spec: { storageClassName: action.className } }, false, fx);
      return;
    }
    case "setProvisioner": {
      const claim = currentClaim(action.claim, fx);
      const a = claim.metadata.annotations ?? {};
      if (a[ANN_STORAGE_PROVISIONER] === action.provisioner && a[ANN_BETA_STORAGE_PROVISIONER] === action.provisioner) return;
      const annotations = { [ANN_STORAGE_PROVISIONER]: action.provisioner, [ANN_BETA_STORAGE_PROVISIONER]: action.provisioner };
      await writeClaim(action.claim, { metadata: { resourceVersion: claim.metadata.resourceVersion, annotations } }, false, fx);
      return;
    }
    case "claimEvent":
      return emit(rawClaim(action.claim, fx), action.event, fx);
    case "volumeEvent": {
      const raw = fx.volumeCache.get(action.volume);
      if (raw) emit(raw, action.event, fx);
      return;
    }
    case "enqueueClaim":
      fx.enqueueClaim(action.claim);
      return;
    case "fail":
      throw new Error(action.message);
  }
}

/**
 * The write that takes a volume for a claim: its claimRef (and
 * bound-by-controller). The controller makes it while it holds the binding
 * decision lock, so that the next decision sees the volume taken; the rest
 * of bind() follows outside the lock (and skips this write, then done).
 */
export async function takeVolume(actions: readonly Action[], fx: BinderEffects): Promise<void> {
  for (const action of actions) {
    if (action.kind !== "bind") continue;
    await writeVolume(action.volume, volumeBindPatch(currentVolume(action.volume, fx), currentClaim(action.claim, fx)), false, fx);
  }
}

/** bind(): the volume first (claimRef, phase Bound), then the claim (volumeName and annotations, status Bound). */
async function bind(volumeName: string, claimKey: string, fx: BinderEffects): Promise<void> {
  let volume = currentVolume(volumeName, fx);
  let claim = currentClaim(claimKey, fx);
  volume = parsedOr(await writeVolume(volumeName, volumeBindPatch(volume, claim), false, fx), volume, fx.parseVolume);
  volume = parsedOr(await writeVolume(volumeName, volumePhasePatch(volume, "Bound", fx.now()), true, fx), volume, fx.parseVolume);
  claim = parsedOr(await writeClaim(claimKey, claimBindPatch(claim, volume), false, fx), claim, fx.parseClaim);
  await writeClaim(claimKey, claimStatusPatch(claim, "Bound", volume), true, fx);
}

async function setVolumePhase(name: string, phase: PersistentVolume["status"]["phase"], event: EventSpec | undefined, confirmClaimGone: boolean, fx: BinderEffects): Promise<void> {
  const volume = currentVolume(name, fx);
  const patch = volumePhasePatch(volume, phase, fx.now());
  if (!patch) return;
  if (confirmClaimGone) await confirmGone(volume, fx);
  const written = await writeVolume(name, patch, true, fx);
  if (written && event) emit(written, event, fx);
}

/**
 * Before a volume is Released (and perhaps deleted), the API server, not
 * the cache, must say that its claim is gone: a claim created together with
 * a pre-bound volume may not have reached the cache yet.
 */
async function confirmGone(volume: PersistentVolume, fx: BinderEffects): Promise<void> {
  const ref = volume.spec.claimRef;
  if (!ref?.name || !ref.namespace) return;
  try {
    const live = await fx.claims.get({ namespace: ref.namespace, name: ref.name });
    if (live.metadata?.uid === ref.uid) throw new StaleCache(`claim ${ref.namespace}/${ref.name} of volume ${volume.metadata.name ?? ""} exists`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

async function writeVolume(name: string, patch: Patch | undefined, status: boolean, fx: BinderEffects): Promise<RawObject | undefined> {
  if (!patch) return undefined;
  const written = status ? await fx.volumes.patchStatus({ name }, { type: "merge", patch }) : await fx.volumes.patch({ name }, { type: "merge", patch });
  fx.volumeCache.assume(name, written);
  return written;
}

async function writeClaim(key: string, patch: Patch | undefined, status: boolean, fx: BinderEffects): Promise<RawObject | undefined> {
  if (!patch) return undefined;
  const written = status ? await fx.claims.patchStatus(keyOf(key), { type: "merge", patch }) : await fx.claims.patch(keyOf(key), { type: "merge", patch });
  fx.claimCache.assume(key, written);
  return written;
}

function parsedOr<T>(raw: RawObject | undefined, current: T, parse: (raw: RawObject) => T | undefined): T {
  return raw ? (parse(raw) ?? current) : current;
}

function currentVolume(name: string, fx: BinderEffects): PersistentVolume {
  const raw = fx.volumeCache.get(name);
  const parsed = raw && fx.parseVolume(raw);
  if (!parsed) throw new StaleCache(`volume ${name} is gone from the cache`);
  return parsed;
}

function rawClaim(key: string, fx: BinderEffects): RawObject {
  const raw = fx.claimCache.get(key);
  if (!raw) throw new StaleCache(`claim ${key} is gone from the cache`);
  return raw;
}

function currentClaim(key: string, fx: BinderEffects): PersistentVolumeClaim {
  const parsed = fx.parseClaim(rawClaim(key, fx));
  if (!parsed) throw new StaleCache(`claim ${key} does not parse`);
  return parsed;
}

function emit(obj: RawObject, event: EventSpec, fx: BinderEffects): void {
  fx.recorder.event(obj, event.type, event.reason, event.message);
}
