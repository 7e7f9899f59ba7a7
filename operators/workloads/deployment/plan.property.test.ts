import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isZeroIntOrPercent, type IntOrString } from "../../api/index.ts";
import { deployment } from "./testdata/fixtures.ts";
import { Cluster, prng } from "./testdata/simulator.ts";
import { deploymentFenceposts } from "./util/fenceposts.ts";

// The "done when": rollouts driven by the planner over random
// replicas, fenceposts and availability never exceed replicas + maxSurge
// pods asked for, never drop below replicas − maxUnavailable available pods
// once there, and always complete once pods become available.

const intOrPercent = (maxInt: number, maxPercent: number) =>
  fc.oneof(fc.integer({ min: 0, max: maxInt }), fc.integer({ min: 0, max: maxPercent }).map((p) => `${p}%`));

const scenario = fc
  .record({
    replicas: fc.integer({ min: 0, max: 15 }),
    maxSurge: intOrPercent(5, 150),
    maxUnavailable: intOrPercent(5, 100),
    seed: fc.integer(),
    /** Chance per step that an unavailable pod becomes available. */
    availability: fc.double({ min: 0.05, max: 1, noNaN: true }),
    /** Chance per step that a ReplicaSet's controller does not run (its status goes stale). */
    lag: fc.double({ min: 0, max: 0.7, noNaN: true }),
    /** Steps of random behaviour before every pod becomes available and every controller runs. */
    chaosSteps: fc.integer({ min: 0, max: 60 }),
  })
  .filter((s) => !(isZeroIntOrPercent(s.maxSurge) && isZeroIntOrPercent(s.maxUnavailable)));

interface Scenario {
  replicas: number;
  maxSurge: IntOrString;
  maxUnavailable: IntOrString;
  seed: number;
  availability: number;
  lag: number;
  chaosSteps: number;
}

const MAX_STEPS = 400;

/** Runs reconciles until the rollout completes, checking `invariant` after every step; returns the steps taken. */
function rollOut(c: Cluster, s: Scenario, random: () => number, invariant: () => void): number {
  for (let step = 0; step < MAX_STEPS; step++) {
    const calm = step >= s.chaosSteps;
    c.reconcileDeployment();
    invariant();
    c.runReplicaSets(() => calm || random() >= s.lag);
    invariant();
    c.makeAvailable(random, calm ? 1 : s.availability);
    if (c.rolloutComplete()) return step;
  }
  throw new Error(`rollout did not complete in ${MAX_STEPS} steps: ${JSON.stringify(c.rsList.map((rs) => [rs.metadata.name, rs.spec.replicas, rs.status]))}`);
}

function startRolledOut(s: Scenario): Cluster {
  const c = new Cluster(deployment({ replicas: s.replicas, maxSurge: s.maxSurge, maxUnavailable: s.maxUnavailable }));
  rollOut(c, { ...s, chaosSteps: 0 }, () => 0, () => undefined);
  return c;
}

describe("RollingUpdate driven by the planner", () => {
  it("keeps within maxSurge and maxUnavailable and completes", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const c = startRolledOut(s);
        const { maxSurge, maxUnavailable } = deploymentFenceposts(c.d);
        const random = prng(s.seed);
        c.setImage("app:v2");
        rollOut(c, s, random, () => {
          const asked = c.rsList.reduce((n, rs) => n + rs.spec.replicas, 0);
          expect(asked).toBeLessThanOrEqual(s.replicas + maxSurge);
          expect(c.availablePods).toBeGreaterThanOrEqual(s.replicas - maxUnavailable);
        });
        const active = c.rsList.filter((rs) => rs.spec.replicas > 0);
        if (s.replicas > 0) expect(active.map((rs) => rs.spec.template.spec.containers[0]?.image)).toEqual(["app:v2"]);
        expect(c.d.status?.conditions?.find((x) => x.type === "Progressing")?.reason).toBe("NewReplicaSetAvailable");
        expect(c.d.status?.conditions?.find((x) => x.type === "Available")?.status).toBe("True");
      }),
      { numRuns: 300 },
    );
  });

  it("survives template changes in the middle of a rollout (rollover)", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 4 }), (s, versions) => {
        const c = startRolledOut(s);
        const { maxSurge } = deploymentFenceposts(c.d);
        const random = prng(s.seed);
        for (let v = 2; v < 2 + versions; v++) {
          c.setImage(`app:v${v}`);
          for (let i = 0; i < 3; i++) {
            c.reconcileDeployment();
            c.runReplicaSets(() => random() >= s.lag);
            c.makeAvailable(random, s.availability);
          }
        }
        rollOut(c, s, random, () => {
          expect(c.rsList.reduce((n, rs) => n + rs.spec.replicas, 0)).toBeLessThanOrEqual(s.replicas + maxSurge);
        });
        // History: at most revisionHistoryLimit old ReplicaSets are kept.
        expect(c.rsList.length).toBeLessThanOrEqual(1 + 10);
      }),
      { numRuns: 150 },
    );
  });
});

describe("Recreate driven by the planner", () => {
  it("never runs old and new pods together, and completes", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const c = new Cluster(deployment({ replicas: s.replicas, strategy: { type: "Recreate" } }));
        rollOut(c, { ...s, chaosSteps: 0 }, () => 0, () => undefined);
        const random = prng(s.seed);
        c.setImage("app:v2");
        rollOut(c, s, random, () => {
          const running = c.rsList.filter((rs) => c.podsOf(rs.metadata.name ?? "").length > 0);
          expect(new Set(running.map((rs) => rs.spec.template.spec.containers[0]?.image)).size).toBeLessThanOrEqual(1);
        });
        if (s.replicas > 0) expect(c.rsList.filter((rs) => rs.spec.replicas > 0).map((rs) => rs.spec.template.spec.containers[0]?.image)).toEqual(["app:v2"]);
      }),
      { numRuns: 200 },
    );
  });
});
