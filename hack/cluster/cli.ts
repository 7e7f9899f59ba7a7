import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { down } from "./down.ts";
import { ClusterError } from "./errors.ts";
import { defaultNodes, ensureCluster } from "./index.ts";
import { kubeconfigFile } from "./paths.ts";
import { Progress } from "./progress.ts";
import { readState } from "./state.ts";
import { describe, health } from "./status.ts";

const usage = `usage: cluster.ts up [--nodes N] [--real-nodes 0|1] | down | status | kubectl ARGS...`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const progress = new Progress();
  switch (command) {
    case "up": {
      const { values } = parseArgs({ args: rest, options: { nodes: { type: "string", default: String(defaultNodes) }, "real-nodes": { type: "string", default: "0" } } });
      const nodes = Number(values.nodes);
      if (!Number.isInteger(nodes) || nodes < 0) throw new ClusterError(`--nodes must be a whole number >= 0, not "${values.nodes}"`);
      const realNodes = Number(values["real-nodes"]);
      // One per machine: kube-proxy owns the host's iptables chains.
      if (realNodes !== 0 && realNodes !== 1) throw new ClusterError(`--real-nodes must be 0 or 1 (one real node per machine), not "${values["real-nodes"]}"`);
      const cluster = await ensureCluster(progress, nodes, realNodes);
      if (cluster.local) console.log(`export KUBECONFIG=${cluster.kubeconfig}   # kubectl: ${kubeconfigFile.replace(/kubeconfig$/, "bin/kubectl")}`);
      return 0;
    }
    case "down":
      if (process.env.KUBECONFIG) progress.say("KUBECONFIG is set: that cluster is never touched; stopping the local one if any");
      await down(progress);
      return 0;
    case "status": {
      if (process.env.KUBECONFIG) {
        await ensureCluster(progress);
        return 0;
      }
      const state = readState();
      if (!state) {
        console.log("cluster: not running (npm run cluster:up starts it)");
        return 1;
      }
      const report = await health(state);
      console.log(describe(state, report));
      return report.healthy ? 0 : 1;
    }
    case "kubectl": {
      const state = readState();
      if (!state && !process.env.KUBECONFIG) throw new ClusterError("no cluster: run npm run cluster:up first");
      const exe = state?.localkube;
      if (!exe) throw new ClusterError("kubectl comes with the local control plane build; with KUBECONFIG set use your own kubectl");
      const res = spawnSync(exe, ["kubectl", `--kubeconfig=${process.env.KUBECONFIG ?? kubeconfigFile}`, ...rest], { stdio: "inherit" });
      return res.status ?? 1;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ClusterError) {
      console.error(`error: ${err.message}`);
      if (err.hint) console.error(err.hint);
    } else {
      console.error(err);
    }
    process.exit(1);
  },
);
