import { spawn } from "node:child_process";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot } from "../../hack/cluster/paths.ts";
import { kindRef, kinds } from "../../operators/api/index.ts";
import type { DeploymentStatus, ReplicaSetStatus } from "../../operators/api/index.ts";
import { RestClient, ResourceClient } from "../../operators/runtime/client/index.ts";
import type { KubeObject } from "../../operators/runtime/client/index.ts";
import { eventResource } from "../../operators/runtime/events/event.ts";
import type { CoreEvent } from "../../operators/runtime/events/event.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";
import { createPool, poolToleration } from "./support/nodes.ts";

// The Deployment controller in the manager the run starts, with the
// ReplicaSet controller, mirrorkube's scheduler, the realizer and kwok
// running the pods. Observed only through the API: ReplicaSets, pods,
// status, conditions, annotations, events; and through the CLI
// (`mirrorkube rollout ...`), run as a user runs it.

interface Template {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: { name: string; image: string }[];
    nodeSelector?: Record<string, string>;
    tolerations?: ReturnType<typeof poolToleration>[];
    terminationGracePeriodSeconds?: number;
  };
}
interface MirrorDeployment extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: Template;
    strategy?: { type: "RollingUpdate" | "Recreate"; rollingUpdate?: { maxSurge: number | string; maxUnavailable: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    paused?: boolean;
  };
  status?: DeploymentStatus;
}
interface MirrorReplicaSet extends KubeObject {
  spec: { replicas: number; template: Template; selector: { matchLabels: Record<string, string> } };
  status?: ReplicaSetStatus;
}
interface MirrorPod extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string; reason?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

const NEVER_READY = { "mirrorkube.dev/kwok": "never-ready" };
const REVISION = "deployment.kubernetes.io/revision";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npx mirrorkube ...` as a user runs it: the bin launcher in its own process, against the run's cluster. */
function mirrorkube(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "mirrorkube.js"), ...args, `--kubeconfig=${inject("kubeconfig")}`], { cwd: repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("Deployment controller", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-deployment");
  const deployments = new ResourceClient<MirrorDeployment>(rest, kindRef(kinds.Deployment));
  const replicaSets = new ResourceClient<MirrorReplicaSet>(rest, kindRef(kinds.ReplicaSet));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const events = new ResourceClient<CoreEvent>(rest, eventResource);
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "deployment");
  });
  afterAll(async () => {
    await ns?.remove();
    rest.close();
  });

  // No schedulerName: mirrorkube's scheduler places the pods.
  const template = (name: string, image: string, labels: Record<string, string> = {}, spec: Partial<Template["spec"]> = {}): Template => ({
    metadata: { labels: { app: name, ...labels } },
    spec: { containers: [{ name: "app", image }], ...spec },
  });

  const create = (name: string, replicas: number, spec: Partial<MirrorDeployment["spec"]> = {}, labels: Record<string, string> = {}) =>
    deployments.create({
      apiVersion: kinds.Deployment.apiVersion,
      kind: "Deployment",
      metadata: { name, namespace: ns.name },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name, "registry.invalid/app:1", labels), ...spec },
    });

  const get = (name: string) => deployments.get({ namespace: ns.name, name });

  /** Changes the spec, retrying on conflicts with the controller's writes. */
  const update = (name: string, change: (d: MirrorDeployment) => MirrorDeployment) =>
    eventually(async () => deployments.update(change(await get(name))), { what: `update of ${name}` });

  const setImage = (name: string, image: string, labels: Record<string, string> = {}) =>
    update(name, (d) => ({ ...d, spec: { ...d.spec, template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels: { app: name, ...labels } }, spec: { ...d.spec.template.spec, containers: [{ name: "app", image }] } } } }));

  const revisionOf = (rs: MirrorReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? 0);

  /**
   * The Deployment's ReplicaSets by revision. Not by creationTimestamp: it
   * has whole seconds, and two ReplicaSets created within one second tie
   * and then sort by name, i.e. by their random-looking hash.
   */
  async function replicaSetsOf(d: MirrorDeployment): Promise<MirrorReplicaSet[]> {
    const list = await replicaSets.list({ namespace: ns.name });
    return list.items.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid)).sort((a, b) => revisionOf(a) - revisionOf(b));
  }

  const imageOf = (rs: MirrorReplicaSet) => rs.spec.template.spec.containers[0]?.image;
  /** [image, spec.replicas] per ReplicaSet, by revision. */
  const sizes = (rss: MirrorReplicaSet[]) => rss.map((rs) => [imageOf(rs), rs.spec.replicas]);
  const total = (rss: MirrorReplicaSet[]) => rss.reduce((n, rs) => n + rs.spec.replicas, 0);

  const podsOf = async (app: string) => (await pods.list({ namespace: ns.name, labelSelector: `app=${app}` })).items;

  /** Pods not on their way out that have been Ready for minReadySeconds: available, as the ReplicaSets count them. */
  async function availablePods(app: string, minReadySeconds = 0): Promise<number> {
    const now = Date.now();
    return (await podsOf(app)).filter((p) => {
      const ready = p.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
      return !p.metadata?.deletionTimestamp && ready && Date.parse(ready.lastTransitionTime ?? "") + minReadySeconds * 1000 <= now;
    }).length;
  }

  const complete = (d: MirrorDeployment) =>
    d.status?.observedGeneration === d.metadata?.generation &&
    d.status?.updatedReplicas === d.spec.replicas &&
    d.status?.replicas === d.spec.replicas &&
    d.status?.availableReplicas === d.spec.replicas &&
    d.status?.conditions?.some((c) => c.type === "Progressing" && c.reason === "NewReplicaSetAvailable");

  /** Polls until the rollout completes, checking `invariant` at every poll. */
  async function rollout(name: string, invariant: (d: MirrorDeployment, rss: MirrorReplicaSet[]) => Promise<void> | void = () => undefined, timeoutMs = 90_000): Promise<MirrorDeployment> {
    return eventually(
      async () => {
        const d = await get(name);
        const rss = await replicaSetsOf(d);
        await invariant(d, rss);
        return complete(d) ? d : undefined;
      },
      { what: `rollout of ${name}`, timeoutMs, intervalMs: 100 },
    );
  }

  async function eventsOf(d: MirrorDeployment): Promise<CoreEvent[]> {
    const list = await events.list({ namespace: ns.name });
    return list.items.filter((e) => e.involvedObject.uid === d.metadata?.uid).sort((a, b) => a.firstTimestamp.localeCompare(b.firstTimestamp));
  }

  const rolloutCli = (...args: string[]) => mirrorkube(["rollout", ...args, "-n", ns.name]);

  it("creates 3 replicas: ReplicaSet name, labels, annotations, status, conditions and events as upstream", async () => {
    await create("web", 3);
    const d = await rollout("web");
    const [rs] = await replicaSetsOf(d);
    const hash = rs?.metadata?.labels?.["pod-template-hash"];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs?.metadata?.name).toBe(`web-${hash}`);
    expect(rs?.spec.selector).toEqual({ matchLabels: { app: "web", "pod-template-hash": hash } });
    expect(rs?.spec.template.metadata.labels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs?.metadata?.annotations).toEqual({
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "4",
    });
    expect(rs?.metadata?.ownerReferences).toEqual([{ apiVersion: kinds.Deployment.apiVersion, kind: "Deployment", name: "web", uid: d.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    expect(d.metadata?.annotations?.[REVISION]).toBe("1");
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, ready: "3/3", selector: "app=web" });
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."],
      ["Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "web-${hash}" has successfully progressed.`],
    ]);
    const evs = await eventsOf(d);
    expect(evs.map((e) => [e.type, e.reason, e.message, e.source.component])).toEqual([["Normal", "ScalingReplicaSet", `Scaled up replica set web-${hash} from 0 to 3`, "deployment-controller"]]);

    const printed = await kubectl(["get", "mdeploy", "web", "-n", ns.name]);
    expect(printed.stdout.split("\n")[1]).toMatch(/^web\s+3\/3\s+3\s+3\s+\d+s$/);
  });

  it.each([
    ["surge-first", 1, 0],
    ["unavailable-first", 0, 1],
  ])("rolls %s (maxSurge %i, maxUnavailable %i) within its bounds at every poll", async (name, maxSurge, maxUnavailable) => {
    await create(name, 3, { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } } });
    await rollout(name);
    await setImage(name, "registry.invalid/app:2");
    let sawBoth = false;
    const d = await rollout(name, async (_, rss) => {
      expect(total(rss)).toBeLessThanOrEqual(3 + maxSurge);
      expect(await availablePods(name)).toBeGreaterThanOrEqual(3 - maxUnavailable);
      if (rss.filter((rs) => rs.spec.replicas > 0).length > 1) sawBoth = true;
    });
    expect(sawBoth).toBe(true);
    const rss = await replicaSetsOf(d);
    expect(sizes(rss)).toEqual([
      ["registry.invalid/app:1", 0],
      ["registry.invalid/app:2", 3],
    ]);
    expect(rss.map((rs) => rs.metadata?.annotations?.[REVISION])).toEqual(["1", "2"]);
    expect(d.metadata?.annotations?.[REVISION]).toBe("2");
  });

  it("rolls 10 replicas at 25%/25% within 13 replicas and 8 available, annotating max-replicas 13", async () => {
    // minReadySeconds stretches every step, so the polls see each of them.
    const minReadySeconds = 2;
    await create("quarter", 10, { minReadySeconds });
    await rollout("quarter");
    await setImage("quarter", "registry.invalid/app:2");
    let maxSeen = 0;
    const d = await rollout("quarter", async (_, rss) => {
      const sum = total(rss);
      expect(sum).toBeLessThanOrEqual(13);
      expect(await availablePods("quarter", minReadySeconds)).toBeGreaterThanOrEqual(8);
      for (const rs of rss.filter((r) => r.spec.replicas > 0 && revisionOf(r) === 2)) {
        expect(rs.metadata?.annotations).toMatchObject({ "deployment.kubernetes.io/desired-replicas": "10", "deployment.kubernetes.io/max-replicas": "13" });
      }
      maxSeen = Math.max(maxSeen, sum);
    });
    expect(maxSeen).toBe(13);
    const rss = await replicaSetsOf(d);
    expect(sizes(rss)).toEqual([
      ["registry.invalid/app:1", 0],
      ["registry.invalid/app:2", 10],
    ]);
    for (const rs of rss) expect(rs.metadata?.annotations?.["deployment.kubernetes.io/max-replicas"]).toBe("13");
  });

  it("Recreate never runs old and new pods together", async () => {
    await create("recreate", 3, { strategy: { type: "Recreate" } });
    await rollout("recreate");
    await setImage("recreate", "registry.invalid/app:2");
    await rollout("recreate", async () => {
      const hashes = new Set((await podsOf("recreate")).map((p) => p.metadata?.labels?.["pod-template-hash"]));
      expect(hashes.size).toBeLessThanOrEqual(1);
    });
  });

  it("scales a stuck rollout proportionally: 10 → 30 gives 20/13; rollout status waits on it", async () => {
    await create("stuck", 10, { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
    await rollout("stuck");
    await setImage("stuck", "registry.invalid/app:2", NEVER_READY);
    const d = await eventually(
      async () => {
        const cur = await get("stuck");
        const rss = await replicaSetsOf(cur);
        const settled = rss.every((rs) => rs.status?.replicas === rs.spec.replicas) && cur.status?.observedGeneration === cur.metadata?.generation && cur.status?.updatedReplicas === 5;
        return settled && JSON.stringify(sizes(rss)) === JSON.stringify([["registry.invalid/app:1", 8], ["registry.invalid/app:2", 5]]) ? cur : undefined;
      },
      { what: "stuck at 8 old + 5 new", timeoutMs: 60_000 },
    );

    const once = await rolloutCli("status", "deployment/stuck", "--watch=false");
    expect([once.code, once.stdout, once.stderr]).toEqual([0, 'Waiting for deployment "stuck" rollout to finish: 5 out of 10 new replicas have been updated...\n', ""]);
    const timedOut = await rolloutCli("status", "stuck", "--timeout=1s");
    expect([timedOut.code, timedOut.stderr]).toEqual([1, "error: timed out waiting for the condition\n"]);

    const scaled = await kubectl(["scale", "mdeploy", "stuck", "--replicas=30", "-n", ns.name]);
    expect(scaled.code, scaled.stderr).toBe(0);
    const after = await eventually(
      async () => {
        const rss = await replicaSetsOf(d);
        return total(rss) === 33 ? rss : undefined;
      },
      { what: "scaled to 33 in all" },
    );
    expect(sizes(after)).toEqual([
      ["registry.invalid/app:1", 20],
      ["registry.invalid/app:2", 13],
    ]);
    for (const rs of after) expect(rs.metadata?.annotations).toMatchObject({ "deployment.kubernetes.io/desired-replicas": "30", "deployment.kubernetes.io/max-replicas": "33" });
  });

  it("reports ProgressDeadlineExceeded for a template whose pods never become ready, and rollout status fails on it", async () => {
    await create("deadline", 2, { progressDeadlineSeconds: 5 }, NEVER_READY);
    const d = await eventually(
      async () => {
        const cur = await get("deadline");
        return cur.status?.conditions?.some((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded") ? cur : undefined;
      },
      { what: "ProgressDeadlineExceeded", timeoutMs: 40_000 },
    );
    const [rs] = await replicaSetsOf(d);
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."],
      ["Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rs?.metadata?.name}" has timed out progressing.`],
    ]);
    const status = await rolloutCli("status", "deployment.apps.mirrorkube.dev/deadline");
    expect([status.code, status.stdout, status.stderr]).toEqual([1, "", 'error: deployment "deadline" exceeded its progress deadline\n']);
  });

  it.each([0, 2])("keeps revisionHistoryLimit %i old ReplicaSets", async (limit) => {
    const name = `history-${limit}`;
    await create(name, 1, { revisionHistoryLimit: limit });
    await rollout(name);
    for (const v of [2, 3, 4]) {
      await setImage(name, `registry.invalid/app:${v}`);
      await rollout(name);
    }
    const d = await get(name);
    const rss = await eventually(
      async () => {
        const list = await replicaSetsOf(d);
        return list.length === limit + 1 ? list : undefined;
      },
      { what: `${limit} old ReplicaSets kept` },
    );
    const kept = [2, 3, 4].slice(2 - limit);
    expect(rss.map(imageOf)).toEqual(kept.map((v) => `registry.invalid/app:${v}`));
    expect(rss.map(revisionOf)).toEqual(kept);
  });

  it("adopts the ReplicaSet it orphaned (the same UID) when created again", async () => {
    const first = await create("adopt", 2);
    await rollout("adopt");
    const [rs] = await replicaSetsOf(first);
    const del = await kubectl(["delete", "mdeploy", "adopt", "--cascade=orphan", "-n", ns.name]);
    expect(del.code, del.stderr).toBe(0);
    await eventually(async () => ((await replicaSets.get({ namespace: ns.name, name: rs?.metadata?.name ?? "" })).metadata?.ownerReferences ?? []).length === 0, { what: "ReplicaSet orphaned" });
    const second = await create("adopt", 2);
    const adopted = await eventually(
      async () => {
        const list = await replicaSetsOf(second);
        return list.length === 1 ? list : undefined;
      },
      { what: "the ReplicaSet adopted" },
    );
    expect(adopted[0]?.metadata?.uid).toBe(rs?.metadata?.uid);
    await rollout("adopt");
    expect(await replicaSetsOf(second)).toHaveLength(1);
  });

  // Every CLI call is a fresh Node process loading the TypeScript: a few seconds each on a busy machine.
  const CLI_TEST_TIMEOUT = 240_000;

  it("shows the history and rolls back through the CLI as kubectl rollout does for apps/v1", async () => {
    await create("cli", 2);
    await rollout("cli");
    for (const v of [2, 3]) {
      await update("cli", (d) => ({
        ...d,
        metadata: { ...d.metadata, annotations: { ...d.metadata?.annotations, "kubernetes.io/change-cause": `image app:${v}` } },
        spec: { ...d.spec, template: template("cli", `registry.invalid/app:${v}`) },
      }));
      await rollout("cli");
    }
    const original = (await replicaSetsOf(await get("cli")))[0];

    const history = await rolloutCli("history", "deployment/cli");
    expect([history.code, history.stdout]).toEqual([0, "deployment.apps.mirrorkube.dev/cli \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image app:2\n3         image app:3\n\n"]);
    const detail = await rolloutCli("history", "cli", "--revision=2");
    expect(detail.stdout).toMatch(/^deployment\.apps\.mirrorkube\.dev\/cli with revision #2\nPod Template:\n {2}Labels:\tapp=cli\n\tpod-template-hash=\w+\n {2}Annotations:\tkubernetes\.io\/change-cause: image app:2\n/);
    expect(detail.stdout).toContain("    Image:\tregistry.invalid/app:2\n");

    // Undo to revision 1: its ReplicaSet (the same object) is reused and becomes revision 4.
    const undo = await rolloutCli("undo", "deployment/cli", "--to-revision=1");
    expect([undo.code, undo.stdout, undo.stderr]).toEqual([0, "deployment.apps.mirrorkube.dev/cli rolled back\n", ""]);
    const status = await rolloutCli("status", "deployment/cli", "--timeout=60s");
    expect(status.code, status.stderr).toBe(0);
    const lines = status.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe('deployment "cli" successfully rolled out');
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^Waiting for deployment (spec update to be observed|"cli" rollout to finish: .*)\.\.\.$/);
    const back = await rollout("cli");
    const rss = await replicaSetsOf(back);
    expect(rss.map((rs) => [revisionOf(rs), imageOf(rs), rs.spec.replicas])).toEqual([
      [2, "registry.invalid/app:2", 0],
      [3, "registry.invalid/app:3", 0],
      [4, "registry.invalid/app:1", 2],
    ]);
    expect(rss[2]?.metadata?.uid).toBe(original?.metadata?.uid);
    expect(rss[2]?.metadata?.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("1");
    // The change-cause is the ReplicaSet's (none), as kubectl's undo copies annotations.
    expect(back.metadata?.annotations?.["kubernetes.io/change-cause"]).toBeUndefined();
    const skipped = await rolloutCli("undo", "deployment/cli", "--to-revision=4");
    expect(skipped.stdout).toBe("deployment.apps.mirrorkube.dev/cli skipped rollback (current template already matches revision 4)\n");
    const missing = await rolloutCli("undo", "deployment/cli", "--to-revision=9");
    expect([missing.code, missing.stderr]).toEqual([1, "error: unable to find specified revision 9 in history\n"]);
  }, CLI_TEST_TIMEOUT);

  it("pauses, resumes and restarts through the CLI as kubectl rollout does for apps/v1", async () => {
    await create("cli-pause", 2);
    await rollout("cli-pause");

    // Paused: a template change is observed but rolls nothing out.
    const pause = await rolloutCli("pause", "deployment/cli-pause");
    expect([pause.code, pause.stdout]).toEqual([0, "deployment.apps.mirrorkube.dev/cli-pause paused\n"]);
    const again = await rolloutCli("pause", "deployment/cli-pause");
    expect([again.code, again.stderr]).toEqual([1, 'error: deployments.apps.mirrorkube.dev "cli-pause" is already paused\n']);
    await eventually(async () => (await get("cli-pause")).status?.conditions?.some((c) => c.reason === "DeploymentPaused" && c.status === "Unknown"), { what: "DeploymentPaused" });
    await setImage("cli-pause", "registry.invalid/app:5");
    const paused = await eventually(async () => {
      const d = await get("cli-pause");
      return d.status?.observedGeneration === d.metadata?.generation ? d : undefined;
    });
    expect(await replicaSetsOf(paused)).toHaveLength(1);
    const restartPaused = await rolloutCli("restart", "deployment/cli-pause");
    expect([restartPaused.code, restartPaused.stderr]).toEqual([1, 'error: deployments.apps.mirrorkube.dev "cli-pause" can\'t restart paused deployment (run rollout resume first)\n']);

    const resume = await rolloutCli("resume", "deployment/cli-pause");
    expect([resume.code, resume.stdout]).toEqual([0, "deployment.apps.mirrorkube.dev/cli-pause resumed\n"]);
    const resumed = await rollout("cli-pause");
    expect(sizes(await replicaSetsOf(resumed))).toEqual([
      ["registry.invalid/app:1", 0],
      ["registry.invalid/app:5", 2],
    ]);

    // Restart: a new template (restartedAt), so a new ReplicaSet and new pods.
    const restart = await rolloutCli("restart", "deployment/cli-pause");
    expect([restart.code, restart.stdout]).toEqual([0, "deployment.apps.mirrorkube.dev/cli-pause restarted\n"]);
    const restarted = await rollout("cli-pause");
    expect(Date.parse(restarted.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"] ?? "")).toBeGreaterThan(Date.now() - 120_000);
    const newest = (await replicaSetsOf(restarted)).at(-1);
    expect([imageOf(newest!), newest?.spec.replicas, newest?.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"]]).toEqual([
      "registry.invalid/app:5",
      2,
      restarted.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"],
    ]);
  }, CLI_TEST_TIMEOUT);

  it("pauses (no new ReplicaSet), resumes, and rolls back through the legacy annotation", async () => {
    await create("pause", 2);
    await rollout("pause");
    await update("pause", (d) => ({ ...d, spec: { ...d.spec, paused: true } }));
    await eventually(async () => (await get("pause")).status?.conditions?.some((c) => c.reason === "DeploymentPaused" && c.status === "Unknown"), { what: "DeploymentPaused" });
    await setImage("pause", "registry.invalid/app:2");
    // Observed while paused, and still one ReplicaSet.
    const paused = await eventually(async () => {
      const d = await get("pause");
      return d.status?.observedGeneration === d.metadata?.generation ? d : undefined;
    });
    expect(await replicaSetsOf(paused)).toHaveLength(1);

    await update("pause", (d) => ({ ...d, spec: { ...d.spec, paused: false } }));
    const resumed = await rollout("pause");
    expect(sizes(await replicaSetsOf(resumed))).toEqual([
      ["registry.invalid/app:1", 0],
      ["registry.invalid/app:2", 2],
    ]);
    expect((await eventsOf(resumed)).length).toBeGreaterThan(0);

    const annotate = await kubectl(["annotate", "mdeploy", "pause", "deprecated.deployment.rollback.to=0", "-n", ns.name]);
    expect(annotate.code, annotate.stderr).toBe(0);
    const back = await eventually(
      async () => {
        const d = await get("pause");
        return d.spec.template.spec.containers[0]?.image === "registry.invalid/app:1" && complete(d) ? d : undefined;
      },
      { what: "rolled back to app:1", timeoutMs: 90_000 },
    );
    // By revision: app:2 is revision 2, and app:1's ReplicaSet, reused, is revision 3.
    const rss = await replicaSetsOf(back);
    expect(sizes(rss)).toEqual([
      ["registry.invalid/app:2", 0],
      ["registry.invalid/app:1", 2],
    ]);
    expect(rss[1]?.metadata?.annotations).toMatchObject({ [REVISION]: "3", "deployment.kubernetes.io/revision-history": "1" });
    expect(back.metadata?.annotations?.["deprecated.deployment.rollback.to"]).toBeUndefined();
    expect((await eventsOf(back)).some((e) => e.reason === "DeploymentRollback" && e.message === 'Rolled back deployment "pause" to revision 1')).toBe(true);
  });

  it("heals: a deleted pod is replaced", async () => {
    await create("heal", 3);
    const d = await rollout("heal");
    const [victim] = (await podsOf("heal")).map((p) => p.metadata?.name ?? "");
    await pods.delete({ namespace: ns.name, name: victim ?? "" });
    const healed = await eventually(
      async () => {
        const live = (await podsOf("heal")).filter((p) => !p.metadata?.deletionTimestamp);
        const cur = await get("heal");
        return live.length === 3 && !live.some((p) => p.metadata?.name === victim) && complete(cur) && cur.status?.availableReplicas === 3 ? live : undefined;
      },
      { what: "3 pods again, without the deleted one" },
    );
    expect(healed).toHaveLength(3);
    // The same ReplicaSet made the replacement: no rollout.
    expect(await replicaSetsOf(d)).toHaveLength(1);
  });

  describe("on a private pool of 3 nodes", () => {
    let pool: Awaited<ReturnType<typeof createPool>>;
    beforeAll(async () => {
      pool = await createPool(kc, `${ns.name}-heal`, 3);
    });
    afterAll(async () => {
      await pool?.remove();
    });

    it("heals: the pods of a deleted node fail with NodeLost and are replaced on the remaining nodes", async () => {
      const poolName = `${ns.name}-heal`;
      // No grace: the real Pods left on the lost node go at once instead of waiting for pod GC.
      const spec = { nodeSelector: { "mirrorkube.dev/pool": poolName }, tolerations: [poolToleration(poolName)], terminationGracePeriodSeconds: 0 };
      await create("nodes", 6, { template: template("nodes", "registry.invalid/app:1", {}, spec) });
      await rollout("nodes");
      const before = await podsOf("nodes");
      const lost = before[0]?.spec?.nodeName ?? "";
      expect(pool.names).toContain(lost);
      const stranded = before.filter((p) => p.spec?.nodeName === lost).map((p) => p.metadata?.name);

      await kc.makeApiClient(CoreV1Api).deleteNode({ name: lost });
      const after = await eventually(
        async () => {
          const all = await podsOf("nodes");
          const failed = all.filter((p) => stranded.includes(p.metadata?.name));
          const running = all.filter((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
          const d = await get("nodes");
          return failed.every((p) => p.status?.phase === "Failed") && running.length === 6 && d.status?.availableReplicas === 6 ? { failed, running } : undefined;
        },
        { what: `the pods of ${lost} replaced`, timeoutMs: 60_000 },
      );
      expect(after.failed.map((p) => p.status?.reason)).toEqual(stranded.map(() => "NodeLost"));
      for (const p of after.running) expect(pool.names.filter((n) => n !== lost)).toContain(p.spec?.nodeName);
    });
  });
});
