// The READY, STATUS and RESTARTS columns as `kubectl get pods` computes them
// (printPod in kubernetes pkg/printers/internalversion). A CRD printer column
// is only a JSONPath, so the realizer computes them and stores them in status.
import type { ContainerStatus, PodCondition, PodStatus } from "../../api/index.ts";

export interface DisplaySource {
  spec: { containers: readonly { name: string }[]; initContainers?: readonly { name: string; restartPolicy?: string }[] };
  status: Pick<PodStatus, "phase" | "reason" | "conditions" | "initContainerStatuses" | "containerStatuses">;
  deletionTimestamp?: string | null;
}

export interface PodDisplay {
  /** READY: "ready/total" containers. */
  ready: string;
  /** RESTARTS, without kubectl's "(5m ago)", which changes with the clock. */
  restarts: number;
  /** STATUS. */
  display: string;
}

// What kubectl prints for a pod being deleted from a node that stopped
// reporting (pkg/util/node NodeUnreachablePodReason).
const NODE_LOST = "NodeLost";

export function podDisplay(pod: DisplaySource): PodDisplay {
  const { spec, status } = pod;
  const sidecars = new Set((spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  const total = spec.containers.length + sidecars.size;

  let reason: string = status.reason || status.phase;
  if (status.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) reason = "SchedulingGated";

  const init = initContainersProgress(status.initContainerStatuses ?? [], sidecars, spec.initContainers?.length ?? 0);
  let ready = init.readySidecars;
  let restarts = init.restarts;
  if (init.blockedReason !== undefined) reason = init.blockedReason;

  // While initialising, the app containers have not started and the init
  // containers' restarts are what matters; once initialised (even if an init
  // status still looks unfinished) the app containers speak.
  if (init.blockedReason === undefined || conditionTrue(status.conditions, "Initialized")) {
    restarts = init.sidecarRestarts;
    let anyRunningReady = false;
    // Last to first, so the first container's state wins the STATUS column.
    for (const c of [...(status.containerStatuses ?? [])].reverse()) {
      restarts += c.restartCount;
      const stateReason = containerStateReason(c);
      if (stateReason !== undefined) reason = stateReason;
      else if (c.ready && c.state?.running) {
        anyRunningReady = true;
        ready++;
      }
    }
    // A pod whose finished containers say Completed but which still has one running is not done.
    if (reason === "Completed" && anyRunningReady) reason = conditionTrue(status.conditions, "Ready") ? "Running" : "NotReady";
  }

  if (pod.deletionTimestamp) {
    if (status.reason === NODE_LOST) reason = "Unknown";
    else if (status.phase !== "Succeeded" && status.phase !== "Failed") reason = "Terminating";
  }
  return { ready: `${ready}/${total}`, restarts, display: reason };
}

interface InitProgress {
  /** Restarts of every init container seen (counted only while initialising). */
  restarts: number;
  /** Restarts of the sidecars (restartable init containers), which keep counting after initialisation. */
  sidecarRestarts: number;
  readySidecars: number;
  /** Set while initialisation is not done: "Init:1/3", "Init:CrashLoopBackOff", "Init:Error", ... */
  blockedReason: string | undefined;
}

function initContainersProgress(statuses: readonly ContainerStatus[], sidecars: ReadonlySet<string>, declared: number): InitProgress {
  const progress: InitProgress = { restarts: 0, sidecarRestarts: 0, readySidecars: 0, blockedReason: undefined };
  for (const [i, c] of statuses.entries()) {
    progress.restarts += c.restartCount;
    const sidecar = sidecars.has(c.name);
    if (sidecar) progress.sidecarRestarts += c.restartCount;
    const terminated = c.state?.terminated;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) progress.readySidecars++;
      continue;
    }
    // The first init container that has not finished (or failed) names the status.
    if (terminated) {
      progress.blockedReason = `Init:${terminated.reason || exitDescription(terminated)}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== "PodInitializing") {
      progress.blockedReason = `Init:${c.state.waiting.reason}`;
    } else {
      progress.blockedReason = `Init:${i}/${declared}`;
    }
    break;
  }
  return progress;
}

/** The STATUS a container's state imposes, if any: waiting or terminated with a reason, else its exit. */
function containerStateReason(c: ContainerStatus): string | undefined {
  const { waiting, terminated } = c.state ?? {};
  if (waiting?.reason) return waiting.reason;
  if (terminated) return terminated.reason || exitDescription(terminated);
  return undefined;
}

function exitDescription(t: { exitCode: number; signal?: number | undefined }): string {
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
}

function conditionTrue(conditions: readonly PodCondition[] | undefined, type: string): boolean {
  return conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}
