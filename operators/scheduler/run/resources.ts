import { kindRef, kinds } from "../../api/index.ts";

/** What the scheduler and the extender read: Nodes, all real Pods, mirror Pods and Namespaces. */
export const nodesResource = { group: "", version: "v1", plural: "nodes", namespaced: false } as const;
export const realPodsResource = { group: "", version: "v1", plural: "pods", namespaced: true } as const;
export const namespacesResource = { group: "", version: "v1", plural: "namespaces", namespaced: false } as const;
export const mirrorPodsResource = kindRef(kinds.Pod);
