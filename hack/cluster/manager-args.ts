// What a manager running on this machine needs to be told about the local
// control plane: where kube-scheduler calls its extender, and, with a real
// node (no registry to pull from), the local image its hostpath cleanup Pods run.
import { busyboxImage } from "../images/images.ts";
import type { ClusterState } from "./state.ts";

export function localManagerArgs(state: ClusterState): string[] {
  return [`--extender-bind-address=127.0.0.1:${state.ports.extender}`, ...(state.realNode ? [`--hostpath-cleanup-image=${busyboxImage}`] : [])];
}
