// The names the pod realizer writes: what users see in events, conditions and
// `kubectl get`, and what other controllers match on.

/** The controller's name (in --controllers, metrics and logs) and the component of its events. */
export const POD_REALIZER = "pod-realizer";

/** Holds a mirror Pod until its real Pod is gone, so ordered workloads see true termination. */
export const REALIZER_FINALIZER = "mirrorkube.dev/pod-realizer";

/** On every real Pod: the name of the mirror Pod it realizes. */
export const REAL_POD_LABEL = "mirrorkube.dev/pod";

/** The schedulerName with which kube-scheduler, not mirrorkube's scheduler, places the real Pod. */
export const KUBE_SCHEDULER = "default-scheduler";

/**
 * A mirror Pod condition (not upstream): True once a real Pod was created for
 * it. It is also the realizer's memory that a real Pod existed, so a real Pod
 * that vanishes later fails the mirror Pod instead of being created again.
 */
export const REALIZED_CONDITION = "Realized";

/** Reasons, as condition reasons, status reasons and event reasons. */
export const Reasons = {
  /** Realized=True; Normal event when the real Pod is created (the ReplicaSet controller's word). */
  created: "SuccessfulCreate",
  /** Realized=False and a Warning event: the real Pod could not be created. */
  failedCreate: "FailedCreate",
  /** Realized=False and a Warning event: a Pod of the same name exists that this mirror Pod does not control. */
  conflict: "RealPodConflict",
  /** Realized=False: a volume is not ready to be given to the real Pod (for example an unbound claim). */
  volumeNotReady: "VolumeNotReady",
  /** status.reason of a mirror Pod failed because its Node was deleted or stayed NotReady (upstream NodeUnreachablePodReason). */
  nodeLost: "NodeLost",
  /** status.reason of a mirror Pod failed because its real Pod was deleted by someone else or evicted. */
  realPodDeleted: "RealPodDeleted",
} as const;

export const Messages = {
  created: (ns: string, name: string, node: string | undefined) =>
    `Created real Pod ${ns}/${name}${node ? ` on node ${node}` : " for kube-scheduler to place"}`,
  realized: (ns: string, name: string) => `The real Pod ${ns}/${name} runs this mirror Pod`,
  failedCreate: (detail: string) => `Error creating the real Pod: ${detail}`,
  conflict: (ns: string, name: string, controller: string | undefined) =>
    `A Pod named ${ns}/${name} already exists and is not controlled by this mirror Pod` +
    `${controller ? ` (its controller is ${controller})` : ""}; it is left untouched and this mirror Pod stays Pending until it is gone`,
  // Upstream's NodeUnreachablePodMessage, for a Node that stopped reporting.
  nodeUnresponsive: (node: string, pod: string) => `Node ${node} which was running pod ${pod} is unresponsive`,
  nodeDeleted: (node: string, pod: string) => `Node ${node} which was running pod ${pod} was deleted`,
  realPodDeleted: (ns: string, name: string) =>
    `The real Pod ${ns}/${name} was deleted while this mirror Pod was active; a Failed pod is not restarted, its controller replaces it`,
  realPodReplaced: (ns: string, name: string) =>
    `The real Pod ${ns}/${name} was deleted while this mirror Pod was active, and a Pod this mirror Pod does not control took its name`,
} as const;
