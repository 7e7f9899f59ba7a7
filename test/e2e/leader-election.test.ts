import { CoordinationV1Api } from "@kubernetes/client-node";
import { inject } from "vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { metricValue, startManager, type ManagerProcess } from "./support/manager-process.ts";

// Two manager processes campaign for one Lease: exactly one leads, and the
// other takes over when the leader dies (lease expiry) or stops (release).
describe("leader election", () => {
  const kc = kubeConfig();
  const leases = kc.makeApiClient(CoordinationV1Api);
  const leaseName = "mirrorkube-e2e-leader";
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  const managers: ManagerProcess[] = [];

  const holder = async () => (await leases.readNamespacedLease({ name: leaseName, namespace: ns.name })).spec?.holderIdentity ?? "";
  const leading = async (m: ManagerProcess) => metricValue(await m.metrics(), `leader_election_master_status{name="${leaseName}"}`);
  const byPid = (identity: string) => managers.find((m) => identity.endsWith(`_${m.child.pid}`));

  const start = async (n: number) =>
    managers.push(await startManager(inject("kubeconfig"), ["--controllers=", "--leader-elect", `--leader-election-id=${leaseName}`, `--leader-election-namespace=${ns.name}`], `leader-${n}`));

  beforeAll(async () => {
    ns = await testNamespace(kc, "leader");
    await Promise.all([start(1), start(2)]);
  });
  afterAll(async () => {
    for (const m of managers) m.child.kill("SIGKILL");
    await ns?.remove();
  });

  it("elects exactly one leader", async () => {
    const leader = await eventually(async () => byPid(await holder()), { what: "a lease holder" });
    await eventually(async () => (await leading(leader)) === 1, { what: "leader reports master status 1" });
    for (const m of managers.filter((x) => x !== leader)) expect(await leading(m)).toBe(0);
  });

  it("hands over within 20 s when the leader is killed", async () => {
    const leader = byPid(await holder())!;
    const killedAt = Date.now();
    leader.child.kill("SIGKILL");
    const successor = await eventually(
      async () => {
        const m = byPid(await holder());
        return m && m !== leader ? m : undefined;
      },
      { timeoutMs: 25_000, intervalMs: 250, what: "a new lease holder" },
    );
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    await eventually(async () => (await leading(successor)) === 1, { what: "successor reports master status 1" });
    const lease = await leases.readNamespacedLease({ name: leaseName, namespace: ns.name });
    expect(lease.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
    expect(lease.spec?.leaseDurationSeconds).toBe(15);
  });

  it("releases the lease on SIGTERM so a standby takes over at once", async () => {
    await start(3);
    const leader = byPid(await holder())!;
    const stoppedAt = Date.now();
    leader.child.kill("SIGTERM");
    expect(await leader.exited).toBe(0);
    const successor = await eventually(
      async () => {
        const m = byPid(await holder());
        return m && m !== leader ? m : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: "a new lease holder after release" },
    );
    // Without the release the standby would wait for the 15 s lease to expire.
    expect(Date.now() - stoppedAt).toBeLessThan(8_000);
    expect(successor.child.pid).not.toBe(leader.child.pid);
  });
});
