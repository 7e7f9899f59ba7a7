import type { Manager } from "./runtime/manager/manager.ts";
import { registerScheduler } from "./scheduler/run/register.ts";
import { registerDeploymentController } from "./workloads/deployment/index.ts";
import { registerReplicaSetController } from "./workloads/replicaset/index.ts";
import { POD_REALIZER, registerPodRealizer } from "./workloads/pod/index.ts";

/** What main.ts passes down to the controllers it registers. */
export interface ControllerConfig {
  /** Where the kube-scheduler extender listens ("0": not served). */
  extenderBindAddress: string;
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
  [POD_REALIZER]: (mgr) => {
    registerPodRealizer(mgr);
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
