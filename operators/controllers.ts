import { registerServiceController, SERVICE_CONTROLLER } from "./networking/index.ts";
import { RESOURCE_QUOTA, RESOURCE_QUOTA_ADMISSION, registerResourceQuotaAdmission, registerResourceQuotaController } from "./quota/index.ts";
import type { Manager } from "./runtime/manager/manager.ts";
import type { LabelSelectorSpec, WebhookServer } from "./runtime/webhook/index.ts";
import { registerScheduler } from "./scheduler/run/register.ts";
import {
  HOSTPATH_PROVISIONER_CONTROLLER,
  PV_BINDER,
  PV_PROTECTION,
  PVC_PROTECTION,
  registerHostPathProvisioner,
  registerPersistentVolumeBinder,
  registerPvcProtection,
  registerPvProtection,
} from "./storage/index.ts";
import { registerDeploymentController } from "./workloads/deployment/index.ts";
import { registerReplicaSetController } from "./workloads/replicaset/index.ts";
import { registerStatefulSetController } from "./workloads/statefulset/index.ts";
import { claimVolumes, POD_REALIZER, registerPodRealizer } from "./workloads/pod/index.ts";

/** What main.ts passes down to the controllers it registers. */
export interface ControllerConfig {
  /** Where the kube-scheduler extender listens ("0": not served). */
  extenderBindAddress: string;
  /** The admission webhook server (--webhook-bind-address), if the manager serves one. */
  webhookServer?: WebhookServer;
  /** The namespaces the webhooks, and the quota controller with them, handle (--webhook-namespace-selector). */
  webhookNamespaceSelector?: LabelSelectorSpec;
  /** Where the hostpath provisioner puts volumes on each node (--hostpath-root). */
  hostPathRoot?: string;
  /** The image of the Pods that remove a deleted volume's directory on a real node (--hostpath-cleanup-image). */
  hostPathCleanupImage?: string;
}

type Registration = (mgr: Manager, config: ControllerConfig) => void;

/** Every controller of mirrorkube, by the name `--controllers` selects it with. */
export const controllers: Record<string, Registration> = {
  scheduler: (mgr, config) => {
    registerScheduler(mgr, { extenderBindAddress: config.extenderBindAddress });
  },
  replicaset: (mgr) => {
    registerReplicaSetController(mgr);
  },
  deployment: (mgr) => {
    registerDeploymentController(mgr);
  },
  statefulset: (mgr) => {
    registerStatefulSetController(mgr);
  },
  [POD_REALIZER]: (mgr) => {
    // Claim volumes become the bound PV's volume; a pod waiting for its claim is woken when it binds.
    const claims = claimVolumes(mgr);
    const realizer = registerPodRealizer(mgr, { translateVolume: claims.translateVolume });
    claims.onChange((req) => realizer.enqueue(req));
  },
  [PV_BINDER]: (mgr) => {
    registerPersistentVolumeBinder(mgr);
  },
  [PVC_PROTECTION]: (mgr) => {
    registerPvcProtection(mgr);
  },
  [PV_PROTECTION]: (mgr) => {
    registerPvProtection(mgr);
  },
  [HOSTPATH_PROVISIONER_CONTROLLER]: (mgr, config) => {
    registerHostPathProvisioner(mgr, { root: config.hostPathRoot, cleanupImage: config.hostPathCleanupImage });
  },
  [SERVICE_CONTROLLER]: (mgr) => {
    registerServiceController(mgr);
  },
  [RESOURCE_QUOTA]: (mgr, config) => {
    registerResourceQuotaController(mgr, { namespaceSelector: config.webhookNamespaceSelector });
  },
  [RESOURCE_QUOTA_ADMISSION]: (mgr, config) => {
    registerResourceQuotaAdmission(mgr, config.webhookServer, { namespaceSelector: config.webhookNamespaceSelector });
  },
};

/** Registers the controllers `selection` names: "*" for all, "" for none, or a comma list. */
export function registerControllers(mgr: Manager, config: ControllerConfig, selection: string): string[] {
  const names = selection === "*" ? Object.keys(controllers) : selection.split(",").filter(Boolean);
  for (const name of names) {
    const register = controllers[name];
    if (!register) throw new Error(`unknown controller "${name}"; known: ${Object.keys(controllers).join(", ") || "(none)"}`);
    register(mgr, config);
  }
  return names;
}
