import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse, stringify } from "yaml";
import { clusterBinDir, repoRoot } from "../../hack/cluster/paths.ts";
import { readTour, type TourBlock } from "../../hack/tour.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// The README's "A first hour with mirrorkube", run as a newcomer runs it:
// every ```sh block of every step, verbatim, in bash at the repository root,
// with the local cluster's kubectl on PATH and a kubeconfig whose context
// namespace is this file's. Each step must print what the README promises
// (the phrases below are asserted in both) and leave the cluster as it says.

const tour = readTour();
const kubectlBin = join(clusterBinDir, "kubectl");
// The tour adds and deletes kwok nodes: it needs the local control plane.
const skip = process.env.KUBECONFIG
  ? "KUBECONFIG points at another cluster; the tour needs the local control plane's kwok"
  : !existsSync(kubectlBin)
    ? `no kubectl at ${kubectlBin}`
    : undefined;

interface Json {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { nodeName?: string; template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { image?: string }[] } } };
  status?: Record<string, unknown> & { phase?: string; reason?: string; availableReplicas?: number; conditions?: { type: string; status: string }[] };
}

describe.skipIf(!!skip)(skip ? `the README tour: skipped, ${skip}` : "the README tour, command by command", () => {
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  /** kubectl ... -o json in the tour's namespace; undefined when the object is not there. */
  async function get(args: string[], namespace = ns.name): Promise<Json & { items?: Json[] }> {
    const r = await kubectl(["-n", namespace, "get", ...args, "-o", "json"]);
    if (r.code !== 0) throw new Error(`kubectl get ${args.join(" ")}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Json & { items?: Json[] };
  }
  const exists = async (args: string[], namespace = ns.name) => (await kubectl(["-n", namespace, "get", ...args])).code === 0;
  const ready = (p: Json) => p.status?.phase === "Running" && !!p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");

  /** What the tour creates outside its namespace, under fixed names: gone before it starts (a run that died may have left them) and after. */
  async function removeFixedNames(): Promise<void> {
    await kubectl(["delete", "node", "spare-0", "spare-1", "--ignore-not-found"]);
    await kubectl(["delete", "mpv", "manual-pv", "--ignore-not-found"]);
    await kubectl(["delete", "msc", "hostpath", "--ignore-not-found"]);
    await kubectl(["delete", "namespace", "quota-demo", "--ignore-not-found", "--timeout=90s"]);
  }

  /** Each step: phrases its output must show (and the README must show too), and the state it must leave. */
  const outcomes: Record<string, { shows: string[]; done: () => Promise<boolean> }> = {
    "1. Apply a Deployment": {
      shows: ['deployment "web" successfully rolled out', "Running"],
      done: async () => (await get(["mdeploy", "web"])).status?.availableReplicas === 3 && (await exists(["svc", "web"])),
    },
    "2. Scale it": {
      shows: ["5/5"],
      done: async () => (await get(["mdeploy", "web"])).status?.availableReplicas === 5,
    },
    "3. Roll out a broken version, then roll back": {
      shows: ["error: timed out waiting for the condition", "deployment.apps.mirrorkube.dev/web rolled back", 'deployment "web" successfully rolled out'],
      done: async () => {
        const d = await get(["mdeploy", "web"]);
        const template = d.spec?.template;
        return (
          template?.spec?.containers?.[0]?.image === "nginx:1.27" &&
          template.metadata?.labels?.["mirrorkube.dev/kwok"] === undefined &&
          d.metadata?.annotations?.["deployment.kubernetes.io/revision"] === "3" &&
          d.status?.availableReplicas === 5
        );
      },
    },
    "4. Lose a node and watch it heal": {
      shows: ["NodeLost"],
      done: async () => {
        const nodes = (await get(["nodes", "spare-0", "spare-1", "--ignore-not-found"], "default")).items ?? [];
        const left = nodes.map((n) => n.metadata?.name);
        const pods = (await get(["mpods", "-l", "app=frontend"])).items ?? [];
        const lost = pods.filter((p) => p.status?.phase === "Failed" && p.status.reason === "NodeLost");
        const serving = pods.filter(ready);
        return left.length === 1 && lost.length > 0 && lost.every((p) => !left.includes(p.spec?.nodeName)) && serving.length === 3 && serving.every((p) => left.includes(p.spec?.nodeName));
      },
    },
    "5. A StatefulSet with storage": {
      shows: ["partitioned roll out complete: 2 new pods have been updated", "data-db-0   Bound", "data-db-1   Bound", "manual-pv   2Gi"],
      done: async () => {
        const claims = (await get(["mpvc"])).items ?? [];
        const bound = claims.filter((c) => c.status?.phase === "Bound").map((c) => c.metadata?.name);
        return ["data-db-0", "data-db-1", "manual-claim"].every((n) => bound.includes(n));
      },
    },
    "6. A quota rejection": {
      shows: ["pods: 2/2", "exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2"],
      done: async () => !(await exists(["mpod", "hello"], "quota-demo")) && (await get(["mdeploy", "web"], "quota-demo")).status?.availableReplicas === 2,
    },
    "7. Clean up": {
      // Which spare node is left depends on where step 4's first pod ran.
      shows: ['namespace "quota-demo" deleted', 'node "spare-'],
      done: async () =>
        ((await get(["mirrorkube"])).items ?? []).filter((o) => !o.metadata?.name?.startsWith("frontend-")).length === 0 &&
        !(await exists(["node", "spare-0"], "default")) &&
        !(await exists(["mpv", "manual-pv"], "default")) &&
        !(await exists(["namespace", "quota-demo"], "default")),
    },
  };

  /** One block in bash, as pasted into a terminal; a --watch runs until the step is done (the user's Ctrl-C). */
  function run(block: TourBlock, until: (output: string) => Promise<boolean>): Promise<{ code: number | string; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn("bash", ["-c", `set -eo pipefail\n${block.code}`], { cwd: repoRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("error", reject);
      const stop = () => child.pid && process.kill(-child.pid, "SIGINT");
      let watching = block.code.includes("--watch");
      const deadline = setTimeout(stop, 100_000);
      child.on("close", (code, signal) => {
        watching = false;
        clearTimeout(deadline);
        resolve({ code: code ?? signal ?? "unknown", output });
      });
      void (async () => {
        while (watching) {
          await new Promise((r) => setTimeout(r, 500));
          if (watching && (await until(output).catch(() => false))) stop();
        }
      })();
    });
  }

  beforeAll(async () => {
    await removeFixedNames();
    ns = await testNamespace(kubeConfig(), "tour");
    dir = mkdtempSync(join(tmpdir(), "mirrorkube-tour-"));
    const config = parse(readFileSync(inject("kubeconfig"), "utf8")) as { "current-context": string; contexts: { name: string; context: { namespace?: string } }[] };
    const context = config.contexts.find((c) => c.name === config["current-context"]);
    if (!context) throw new Error("the run's kubeconfig has no current context");
    context.context.namespace = ns.name;
    writeFileSync(join(dir, "kubeconfig"), stringify(config));
    env = { ...process.env, KUBECONFIG: join(dir, "kubeconfig"), PATH: `${clusterBinDir}${delimiter}${process.env.PATH ?? ""}` };
  });

  afterAll(async () => {
    await removeFixedNames();
    await ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has the steps this test knows the outcomes of", () => {
    expect(tour.steps.map((s) => s.title)).toEqual(Object.keys(outcomes));
    for (const s of tour.steps) for (const phrase of outcomes[s.title]?.shows ?? []) expect(s.shown, `README, ${s.title}`).toContain(phrase);
  });

  for (const step of tour.steps) {
    const outcome = outcomes[step.title];
    it(step.title, async () => {
      if (!outcome) throw new Error(`no outcome for the README step ${step.title}`);
      let output = "";
      const seen = (text: string) => outcome.shows.every((p) => text.includes(p));
      for (const block of step.blocks) {
        const before = output;
        const result = await run(block, async (out) => seen(before + out) && (await outcome.done()));
        output += result.output;
        if (block.code.includes("--watch")) continue;
        if (block.fails) expect(result.code, `${block.code}\n${result.output}`).not.toBe(0);
        else expect(result.code, `${block.code}\n${result.output}`).toBe(0);
      }
      for (const phrase of outcome.shows) expect(output, step.title).toContain(phrase);
      await eventually(outcome.done, { what: `the outcome of "${step.title}"`, timeoutMs: 60_000 });
    }, 180_000);
  }
});
