// The hostpath provisioner's own names (not upstream).

/** The name `--controllers` selects it by. */
export const HOSTPATH_PROVISIONER_CONTROLLER = "hostpath-provisioner";

/** The component of its events (external provisioners report under their own name). */
export const HOSTPATH_COMPONENT = "mirrorkube.dev/hostpath";

/** On a PV it provisioned: the node its directory is on. */
export const ANN_HOSTPATH_NODE = "mirrorkube.dev/hostpath-node";

/** On the real Pod that removes a deleted volume's directory: the PV's name. */
export const CLEANUP_POD_LABEL = "mirrorkube.dev/hostpath-cleanup";

/** Where provisioned directories go unless --hostpath-root says otherwise. */
export const DEFAULT_HOSTPATH_ROOT = "/var/lib/mirrorkube/volumes";

/** The image of the cleanup Pod: anything with rm. */
export const DEFAULT_CLEANUP_IMAGE = "busybox:1.36";

/** kwok's marks on the Nodes it simulates (they have no filesystem). */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

export const ProvisionerEvents = {
  /** Normal, on the PV: the data could not really be removed (a simulated or vanished node), the PV is removed anyway. */
  simulatedDelete: "SimulatedDelete",
} as const;
