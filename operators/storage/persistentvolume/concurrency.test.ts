// The binder under the worst conditions its design must survive: several
// workers at once (the runtime runs one; another manager replica, or a
// future change, may not), each with its own stale cache (watch events
// delivered late), racing over 60 claims and 60 volumes that fit any of them,
// against an in-memory API server that enforces resourceVersion
// preconditions as the real one does. At no moment may two claims be bound
// to one volume, and once the dust settles every claim is bound one-to-one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../runtime/client/index.ts";
import { Store } from "../../runtime/informer/store.ts";
import { AssumeCache } from "../assume-cache.ts";
import { parseClaim, parseVolume } from "../caches.ts";
import type { RawObject } from "../resources.ts";
import { pv, pvc } from "../testing.ts";
import type { BinderView } from "./actions.ts";
import { carryOut, StaleCache, type BinderEffects, type ObjectWriter } from "./effects.ts";
import { syncClaim } from "./sync-claim.ts";
import { syncVolume } from "./sync-volume.ts";

type Json = Record<string, unknown>;

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Json = typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [k, v] of Object.entries(patch as Json)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** One kind's objects as the API server holds them, and the watch events not yet delivered to each cache. */
class MemoryResource {
  readonly objects = new Map<string, RawObject>();
  readonly watchers: { store: Store<RawObject>; pending: RawObject[] }[] = [];
  constructor(
    private readonly api: MemoryApi,
    private readonly namespaced: boolean,
  ) {}

  key(k: { namespace?: string; name: string }): string {
    return this.namespaced ? `${k.namespace ?? ""}/${k.name}` : k.name;
  }

  put(obj: RawObject): RawObject {
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.api.rv) } };
    this.objects.set(this.key({ namespace: stored.metadata.namespace, name: stored.metadata.name ?? "" }), stored);
    for (const w of this.watchers) w.pending.push(stored);
    this.api.check();
    return stored;
  }

  watch(): Store<RawObject> {
    const store = new Store<RawObject>();
    for (const obj of this.objects.values()) store.upsert(obj);
    this.watchers.push({ store, pending: [] });
    return store;
  }

  /** Delivers up to `n` pending events to each cache, in order. */
  deliver(n: number): void {
    for (const w of this.watchers) for (const obj of w.pending.splice(0, n)) w.store.upsert(obj);
  }

  writer(): ObjectWriter {
    const write = async (k: { namespace?: string; name: string }, patch: Json): Promise<RawObject> => {
      await this.api.yield();
      const current = this.objects.get(this.key(k));
      if (!current) throw new ApiError(404, "NotFound", `${k.name} not found`);
      const rv = (patch.metadata as Json | undefined)?.resourceVersion;
      if (rv !== undefined && rv !== current.metadata?.resourceVersion) throw new ApiError(409, "Conflict", "the object has been modified");
      return this.put(mergePatch(current, patch) as RawObject);
    };
    return {
      get: async (k) => {
        await this.api.yield();
        const current = this.objects.get(this.key(k));
        if (!current) throw new ApiError(404, "NotFound", `${k.name} not found`);
        return current;
      },
      patch: (k, p) => write(k, p.patch as Json),
      patchStatus: (k, p) => write(k, p.patch as Json),
    };
  }
}

class MemoryApi {
  rv = 1000;
  readonly volumes = new MemoryResource(this, false);
  readonly claims = new MemoryResource(this, true);
  constructor(private readonly random: () => number) {}

  /** A random number of event-loop turns, so that workers interleave between any two writes. */
  async yield(): Promise<void> {
    const turns = Math.floor(this.random() * 3);
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  }

  /** The invariant, after every write: no volume is the volume of two bound claims. */
  check(): void {
    const seen = new Map<string, string>();
    for (const [key, claim] of this.claims.objects) {
      const volumeName = (claim.spec as { volumeName?: string }).volumeName;
      if (!volumeName || claim.metadata?.annotations?.["pv.kubernetes.io/bind-completed"] === undefined) continue;
      const other = seen.get(volumeName);
      if (other) throw new Error(`volume ${volumeName} bound to ${other} and ${key}`);
      seen.set(volumeName, key);
    }
  }
}

/** A worker as a binder process runs it: its own caches over its own (lagging) watch. */
function worker(api: MemoryApi) {
  const volumeCache = new AssumeCache(api.volumes.watch());
  const claimCache = new AssumeCache(api.claims.watch());
  const view: BinderView = {
    volume: (name) => parseVolume(volumeCache.get(name)),
    volumes: () => volumeCache.list().flatMap((raw) => parseVolume(raw) ?? []),
    claim: (key) => parseClaim(claimCache.get(key)),
    storageClass: () => undefined,
    defaultClass: () => undefined,
    unscheduledPodsUsing: () => [],
  };
  const fx: BinderEffects = {
    volumes: api.volumes.writer(),
    claims: api.claims.writer(),
    volumeCache,
    claimCache,
    parseVolume,
    parseClaim,
    recorder: { event: () => undefined },
    enqueueClaim: () => undefined,
    now: () => "2024-05-01T12:00:00Z",
  };
  return async (key: string): Promise<void> => {
    const isVolume = !key.includes("/");
    const volume = isVolume ? parseVolume(volumeCache.get(key)) : undefined;
    const claim = isVolume ? undefined : parseClaim(claimCache.get(key));
    const actions = volume ? syncVolume(volume, view) : claim ? syncClaim(claim, view) : [];
    try {
      await carryOut(actions, fx);
    } catch (err) {
      // A conflict or a stale read: the runtime retries it later, as the loop below does.
      if (!(err instanceof StaleCache) && !(err instanceof ApiError && (err.code === 409 || err.code === 404))) throw err;
    }
  };
}

const N = 60;

describe("binder concurrency", () => {
  it("never binds a volume to two claims, and settles one-to-one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (workers, seed) => {
        let state = seed;
        const random = () => {
          // mulberry32: a small deterministic generator, so a failure replays from its seed.
          state = (state + 0x6d2b79f5) | 0;
          let t = Math.imul(state ^ (state >>> 15), 1 | state);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        const api = new MemoryApi(random);
        // Every volume fits every claim: binding is greedy in arrival order (as upstream's), so
        // with volumes of mixed sizes a small claim may take a big volume before the small one is Available.
        for (let i = 0; i < N; i++) {
          api.volumes.put(pv(`v${i}`, "8Gi", { phase: "Pending" }) as unknown as RawObject);
          api.claims.put(pvc(`c${i}`, `${1 + (i % 8)}Gi`, { className: "" }) as unknown as RawObject);
        }
        const keys = [...api.volumes.objects.keys(), ...api.claims.objects.keys()];
        const runners = Array.from({ length: workers }, () => worker(api));
        // Chaos: every worker syncs random keys while watch events trickle in.
        const busy = new Set<string>();
        await Promise.all(
          runners.map(async (run) => {
            for (let round = 0; round < 150; round++) {
              const key = keys[Math.floor(random() * keys.length)]!;
              // The runtime never syncs one key twice at once.
              if (busy.has(key)) continue;
              busy.add(key);
              await run(key);
              busy.delete(key);
              api.volumes.deliver(Math.floor(random() * 4));
              api.claims.deliver(Math.floor(random() * 4));
            }
          }),
        );
        // Settle: the caches catch up and one worker goes round until nothing changes.
        const settle = runners[0]!;
        for (let pass = 0; pass < 20; pass++) {
          const before = api.rv;
          api.volumes.deliver(Infinity);
          api.claims.deliver(Infinity);
          for (const key of keys) await settle(key);
          api.volumes.deliver(Infinity);
          api.claims.deliver(Infinity);
          if (api.rv === before) break;
        }
        const claims = [...api.claims.objects.values()].map((c) => parseClaim(c)!);
        expect(claims.every((c) => c.status.phase === "Bound")).toBe(true);
        const used = claims.map((c) => c.spec.volumeName);
        expect(new Set(used).size).toBe(N);
        for (const c of claims) {
          const v = parseVolume(api.volumes.objects.get(c.spec.volumeName ?? ""))!;
          expect(v.spec.claimRef?.uid).toBe(c.metadata.uid);
          expect(v.status.phase).toBe("Bound");
        }
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});
