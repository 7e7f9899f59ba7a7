// Property: for any interleaving of node, mirror Pod, real Pod and
// assumption events, the cache's incremental totals equal a recount from
// the current objects, and a mirror Pod and its real Pod never both count.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../runtime/queue/fake-clock.ts";
import type { PodLike } from "../framework/objects.ts";
import { makeNode, makePod } from "../framework/testing.ts";
import { SchedulerCache } from "./cache.ts";
import { MIRROR_POD_API_VERSION, MIRROR_POD_LABEL } from "./mirror.ts";

const NODES = ["n1", "n2", "n3"];
const NAMES = ["a", "b", "c", "d"];
const TTL = 1000;

type Event =
  | { t: "nodeAdd" | "nodeDelete"; node: string }
  | { t: "mirrorBind"; name: string; node: string; cpu: number }
  | { t: "mirrorPending" | "mirrorDelete" | "mirrorFail"; name: string }
  | { t: "mirrorRecreate"; name: string }
  | { t: "realCreate"; name: string; node: string; stale: boolean }
  | { t: "realDelete" | "realFinish"; name: string }
  | { t: "unrelatedReal"; name: string; node: string; cpu: number }
  | { t: "unrelatedDelete"; name: string }
  | { t: "assume"; name: string; node: string }
  | { t: "forget" | "finishBinding"; name: string }
  | { t: "advance"; ms: number };

const node = fc.constantFrom(...NODES);
const name = fc.constantFrom(...NAMES);
const cpu = fc.constantFrom(100, 250, 1000, 1500);
const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ t: fc.constantFrom("nodeAdd" as const, "nodeDelete" as const), node }),
  fc.record({ t: fc.constant("mirrorBind" as const), name, node, cpu }),
  fc.record({ t: fc.constantFrom("mirrorPending" as const, "mirrorDelete" as const, "mirrorFail" as const, "mirrorRecreate" as const), name }),
  fc.record({ t: fc.constant("realCreate" as const), name, node, stale: fc.boolean() }),
  fc.record({ t: fc.constantFrom("realDelete" as const, "realFinish" as const), name }),
  fc.record({ t: fc.constant("unrelatedReal" as const), name, node, cpu }),
  fc.record({ t: fc.constant("unrelatedDelete" as const), name }),
  fc.record({ t: fc.constant("assume" as const), name, node }),
  fc.record({ t: fc.constantFrom("forget" as const, "finishBinding" as const), name }),
  fc.record({ t: fc.constant("advance" as const), ms: fc.constantFrom(10, 600, 1200) }),
);

interface World {
  nodes: Set<string>;
  mirrors: Map<string, PodLike>;
  reals: Map<string, PodLike>;
  unrelated: Map<string, PodLike>;
  assumed: Map<string, { pod: PodLike; deadline?: number }>;
  generation: Map<string, number>;
}

function mirrorPod(world: World, n: string, nodeName: string | undefined, millis: number, phase = "Pending"): PodLike {
  const gen = world.generation.get(n) ?? 0;
  return { apiVersion: MIRROR_POD_API_VERSION, kind: "Pod", ...makePod(n, { uid: `m-${n}-${gen}`, nodeName, requests: { cpu: `${millis}m` }, phase }) };
}

function realPod(of: PodLike, nodeName: string, ownerUid: string, phase = "Running"): PodLike {
  const n = of.metadata?.name ?? "";
  return makePod(n, {
    nodeName,
    uid: `r-${n}`,
    requests: of.spec?.containers?.[0]?.resources?.requests ?? {},
    labels: { [MIRROR_POD_LABEL]: n },
    ownerReferences: [{ apiVersion: MIRROR_POD_API_VERSION, kind: "Pod", name: n, uid: ownerUid, controller: true }],
    phase,
  });
}

const millisOf = (p: PodLike) => Number(String(p.spec?.containers?.[0]?.resources?.requests?.cpu ?? "0m").replace("m", ""));
const active = (p: PodLike | undefined) => p !== undefined && !!p.spec?.nodeName && !["Succeeded", "Failed"].includes(p.status?.phase ?? "");

/** The recount from scratch: millicores and pod count per node. */
function recount(world: World): Map<string, { cpu: number; pods: number }> {
  const totals = new Map<string, { cpu: number; pods: number }>();
  const add = (p: PodLike) => {
    const t = totals.get(p.spec?.nodeName ?? "") ?? { cpu: 0, pods: 0 };
    totals.set(p.spec?.nodeName ?? "", { cpu: t.cpu + millisOf(p), pods: t.pods + 1 });
  };
  for (const p of world.unrelated.values()) if (active(p)) add(p);
  for (const n of NAMES) {
    const real = world.reals.get(n);
    const m = world.assumed.get(n)?.pod ?? world.mirrors.get(n);
    if (active(real) && real) add(real);
    const realizes = real !== undefined && m !== undefined && real.metadata?.ownerReferences?.[0]?.uid === m.metadata?.uid;
    if (m && active(m) && !realizes) add(m);
  }
  return totals;
}

function apply(cache: SchedulerCache, clock: FakeClock, world: World, e: Event): void {
  switch (e.t) {
    case "nodeAdd":
      world.nodes.add(e.node);
      cache.upsertNode(makeNode(e.node));
      break;
    case "nodeDelete":
      world.nodes.delete(e.node);
      cache.deleteNode(e.node);
      break;
    case "mirrorBind": {
      const m = mirrorPod(world, e.name, e.node, e.cpu);
      world.mirrors.set(e.name, m);
      world.assumed.delete(e.name);
      cache.upsertMirrorPod(m);
      break;
    }
    case "mirrorPending": {
      const m = mirrorPod(world, e.name, undefined, 500);
      world.mirrors.set(e.name, m);
      cache.upsertMirrorPod(m);
      break;
    }
    case "mirrorFail": {
      const old = world.mirrors.get(e.name);
      if (!old) break;
      const m = mirrorPod(world, e.name, old.spec?.nodeName, millisOf(old), "Failed");
      world.mirrors.set(e.name, m);
      if (m.spec?.nodeName) world.assumed.delete(e.name);
      cache.upsertMirrorPod(m);
      break;
    }
    case "mirrorDelete":
      world.mirrors.delete(e.name);
      world.assumed.delete(e.name);
      cache.deleteMirrorPod(`default/${e.name}`);
      break;
    case "mirrorRecreate":
      // A new mirror Pod of the same name gets a new uid; an existing real Pod becomes stale.
      world.generation.set(e.name, (world.generation.get(e.name) ?? 0) + 1);
      world.mirrors.delete(e.name);
      world.assumed.delete(e.name);
      cache.deleteMirrorPod(`default/${e.name}`);
      break;
    case "realCreate": {
      const m = world.mirrors.get(e.name) ?? mirrorPod(world, e.name, e.node, 700);
      const owner = e.stale ? "someone-else" : (m.metadata?.uid ?? "");
      const r = realPod(m, m.spec?.nodeName ?? e.node, owner);
      world.reals.set(e.name, r);
      cache.upsertRealPod(r);
      break;
    }
    case "realDelete":
      world.reals.delete(e.name);
      cache.deleteRealPod(`default/${e.name}`);
      break;
    case "realFinish": {
      const old = world.reals.get(e.name);
      if (!old) break;
      const r = { ...old, status: { phase: "Succeeded" } };
      world.reals.set(e.name, r);
      cache.upsertRealPod(r);
      break;
    }
    case "unrelatedReal": {
      const p = makePod(e.name, { namespace: "other", nodeName: e.node, requests: { cpu: `${e.cpu}m` }, phase: "Running" });
      world.unrelated.set(e.name, p);
      cache.upsertRealPod(p);
      break;
    }
    case "unrelatedDelete":
      world.unrelated.delete(e.name);
      cache.deleteRealPod(`other/${e.name}`);
      break;
    case "assume": {
      const m = world.mirrors.get(e.name);
      if (!m || m.spec?.nodeName) break; // the scheduler only assumes unbound pods it popped
      world.assumed.set(e.name, { pod: { ...m, spec: { ...m.spec, nodeName: e.node } } });
      cache.assume(m, e.node);
      break;
    }
    case "forget":
      world.assumed.delete(e.name);
      cache.forget(`default/${e.name}`);
      break;
    case "finishBinding": {
      const a = world.assumed.get(e.name);
      if (a) a.deadline = clock.now() + TTL;
      cache.finishBinding(`default/${e.name}`);
      break;
    }
    case "advance":
      clock.advance(e.ms);
      for (const [n, a] of world.assumed) if (a.deadline !== undefined && a.deadline <= clock.now()) world.assumed.delete(n);
      break;
  }
}

describe("SchedulerCache (property)", () => {
  it("incremental totals equal a recount; nothing is counted twice", () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 20, maxLength: 80 }), (events) => {
        const clock = new FakeClock();
        const cache = new SchedulerCache({ clock, assumedPodTTLMs: TTL });
        const world: World = { nodes: new Set(), mirrors: new Map(), reals: new Map(), unrelated: new Map(), assumed: new Map(), generation: new Map() };
        for (const e of events) {
          apply(cache, clock, world, e);
          const snapshot = cache.snapshot();
          const expected = recount(world);
          for (const n of NODES) {
            const want = expected.get(n) ?? { cpu: 0, pods: 0 };
            const info = world.nodes.has(n) ? snapshot.get(n) : cache.getNodeInfo(n);
            expect(world.nodes.has(n) ? info !== undefined : snapshot.get(n) === undefined).toBe(true);
            expect({ cpu: info?.requested.milliCPU ?? 0, pods: info?.pods.length ?? 0 }).toEqual(want);
            // nonZero follows requested here (every pod requests cpu).
            expect(info?.nonZeroRequested.milliCPU ?? 0).toBe(want.cpu);
          }
          // A key is counted at most once per source, and never as both a realized pair.
          const counted = cache.countedPods();
          const seen = new Set(counted.map((c) => `${c.key}/${c.source}`));
          expect(seen.size).toBe(counted.length);
          for (const n of NAMES) {
            const real = world.reals.get(n);
            const m = world.assumed.get(n)?.pod ?? world.mirrors.get(n);
            if (real && m && real.metadata?.ownerReferences?.[0]?.uid === m.metadata?.uid) {
              expect(counted.filter((c) => c.key === `default/${n}`).length).toBeLessThanOrEqual(1);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
