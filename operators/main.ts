import { parseArgs } from "node:util";
import { registerControllers } from "./controllers.ts";
import { log } from "./runtime/logging.ts";
import { LeaderPodLabel, podsResource } from "./runtime/leader/pod-label.ts";
import { LeaderElectionLostError, Manager } from "./runtime/manager/manager.ts";
import { DEFAULT_CLEANUP_IMAGE, DEFAULT_HOSTPATH_ROOT } from "./storage/index.ts";
import { parseLabelSelector, validatingWebhookConfigurations, webhookEndpoint, WebhookServer } from "./runtime/webhook/index.ts";

// The manager process. Flags are named as controller-runtime's managers name them.
const { values: flags } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    "metrics-bind-address": { type: "string", default: ":8080" },
    "health-probe-bind-address": { type: "string", default: ":8081" },
    "extender-bind-address": { type: "string", default: "0" },
    // Client-side rate limit of the whole process, as kube-controller-manager's
    // flags (its defaults are 20 and 30); 0: none, the default here.
    "kube-api-qps": { type: "string", default: "0" },
    "kube-api-burst": { type: "string", default: "0" },
    // The admission webhook server ("0": none). The API server calls it at
    // --webhook-url, or through --webhook-service (namespace/name[:port]) in
    // cluster, or else at https on the bind address itself.
    "webhook-bind-address": { type: "string", default: "0" },
    "webhook-url": { type: "string" },
    "webhook-service": { type: "string" },
    "webhook-configuration-name": { type: "string", default: "mirrorkube" },
    "webhook-namespace-selector": { type: "string", default: "" },
    // tls.crt, tls.key and ca.crt (a mounted kubernetes.io/tls Secret) instead of a CA made at start.
    "webhook-cert-dir": { type: "string" },
    controllers: { type: "string", default: "*" },
    "hostpath-root": { type: "string", default: DEFAULT_HOSTPATH_ROOT },
    // Anything with rm that the nodes can run (a cluster without a registry: an image it has).
    "hostpath-cleanup-image": { type: "string", default: DEFAULT_CLEANUP_IMAGE },
    "leader-elect": { type: "boolean", default: false },
    "leader-election-id": { type: "string", default: "mirrorkube-manager" },
    "leader-election-namespace": { type: "string", default: process.env.POD_NAMESPACE ?? "kube-system" },
    // In a Pod (POD_NAMESPACE, POD_NAME): the label the leader puts on its Pod, for a Service that routes to the leader only.
    "leader-pod-label": { type: "string", default: "" },
  },
});

async function main(): Promise<void> {
  const manager = new Manager({
    name: "mirrorkube",
    kubeconfig: flags.kubeconfig,
    metricsBindAddress: flags["metrics-bind-address"],
    healthProbeBindAddress: flags["health-probe-bind-address"],
    leaderElection: flags["leader-elect"] ? { namespace: flags["leader-election-namespace"], name: flags["leader-election-id"] } : false,
    ...(Number(flags["kube-api-qps"]) > 0 && { clientRateLimit: { qps: Number(flags["kube-api-qps"]), burst: Math.max(1, Number(flags["kube-api-burst"])) } }),
  });

  const leaderLabel = leaderPodLabel(manager);
  const webhookBind = flags["webhook-bind-address"];
  const webhookNamespaceSelector = flags["webhook-namespace-selector"] ? parseLabelSelector(flags["webhook-namespace-selector"]) : undefined;
  let webhookServer: WebhookServer | undefined;
  if (webhookBind !== "0") {
    webhookServer = new WebhookServer({
      bindAddress: webhookBind,
      endpoint: webhookEndpoint(webhookBind, flags["webhook-url"], flags["webhook-service"]),
      configurations: manager.client(validatingWebhookConfigurations),
      configurationName: flags["webhook-configuration-name"],
      namespaceSelector: webhookNamespaceSelector,
      // Quota admission shares its per-namespace lock and ledger with the leader's usage controller.
      needLeaderElection: true,
      certDir: flags["webhook-cert-dir"],
    });
    manager.add(webhookServer);
    const ready = webhookServer.readyCheck();
    // Without the label a standby is not Ready, so that a Service in front of every replica routes to the leader only.
    manager.probes.addReadyzCheck("webhook", leaderLabel ? () => (manager.isLeader() ? ready() : undefined) : ready);
  }

  const enabled = registerControllers(
    manager,
    { extenderBindAddress: flags["extender-bind-address"], webhookServer, webhookNamespaceSelector, hostPathRoot: flags["hostpath-root"], hostPathCleanupImage: flags["hostpath-cleanup-image"] },
    flags.controllers,
  );

  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      // A second signal means "now": skip the graceful shutdown.
      if (stop.signal.aborted) process.exit(1);
      log.info({ signal }, "shutting down");
      stop.abort();
    });
  }
  log.info({ server: manager.kubeConfig.getCurrentCluster()?.server, metrics: flags["metrics-bind-address"], probes: flags["health-probe-bind-address"], webhook: webhookBind, controllers: enabled }, "manager starting");
  await manager.start(stop.signal);
  log.info("manager stopped");
}

function leaderPodLabel(manager: Manager): LeaderPodLabel | undefined {
  const key = flags["leader-pod-label"];
  if (!key) return undefined;
  const { POD_NAMESPACE: namespace, POD_NAME: name } = process.env;
  if (!namespace || !name) throw new Error("--leader-pod-label needs the environment variables POD_NAMESPACE and POD_NAME (the downward API)");
  const label = new LeaderPodLabel(manager.client(podsResource), { namespace, name }, key);
  manager.add(label.standby);
  manager.add(label.leader);
  manager.probes.addReadyzCheck("leader-label", label.readyCheck());
  return label;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log.fatal({ err }, err instanceof LeaderElectionLostError ? "leader election lost" : "manager failed");
    process.exit(1);
  },
);
