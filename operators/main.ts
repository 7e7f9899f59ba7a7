import { parseArgs } from "node:util";
import { registerControllers } from "./controllers.ts";
import { log } from "./runtime/logging.ts";
import { LeaderElectionLostError, Manager } from "./runtime/manager/manager.ts";

// The manager process. Flags are named as controller-runtime's managers name them.
const { values: flags } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    "metrics-bind-address": { type: "string", default: ":8080" },
    "health-probe-bind-address": { type: "string", default: ":8081" },
    "extender-bind-address": { type: "string", default: "0" },
    controllers: { type: "string", default: "*" },
    "leader-elect": { type: "boolean", default: false },
    "leader-election-id": { type: "string", default: "mirrorkube-manager" },
    "leader-election-namespace": { type: "string", default: process.env.POD_NAMESPACE ?? "kube-system" },
  },
});

async function main(): Promise<void> {
  const manager = new Manager({
    name: "mirrorkube",
    kubeconfig: flags.kubeconfig,
    metricsBindAddress: flags["metrics-bind-address"],
    healthProbeBindAddress: flags["health-probe-bind-address"],
    leaderElection: flags["leader-elect"] ? { namespace: flags["leader-election-namespace"], name: flags["leader-election-id"] } : false,
  });

  const enabled = registerControllers(manager, { extenderBindAddress: flags["extender-bind-address"] }, flags.controllers);

  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      // A second signal means "now": skip the graceful shutdown.
      if (stop.signal.aborted) process.exit(1);
      log.info({ signal }, "shutting down");
      stop.abort();
    });
  }
  log.info({ server: manager.kubeConfig.getCurrentCluster()?.server, metrics: flags["metrics-bind-address"], probes: flags["health-probe-bind-address"], controllers: enabled }, "manager starting");
  await manager.start(stop.signal);
  log.info("manager stopped");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log.fatal({ err }, err instanceof LeaderElectionLostError ? "leader election lost" : "manager failed");
    process.exit(1);
  },
);
