// VolumeBinding (upstream plugins/volumebinding): PreFilter refuses a pod
// whose claims are missing, lost, being deleted or unbound though they should
// be bound; Filter keeps the nodes where every bound claim's PV is usable
// (its node affinity) and every WaitForFirstConsumer claim can get a PV.
// Reserve and PreBind, which write the decision, are the scheduler's (see
// run/volume-binding.ts), on the same findPodVolumes.
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import { status } from "../../interface.ts";
import * as names from "../names.ts";
import { ErrReasonUnboundImmediate, findPodVolumes, podVolumeClaims, type PodVolumeClaims, type VolumeListers } from "./binder.ts";

const STATE_KEY = "PreFilterVolumeBinding";

export function volumeBinding(listers: VolumeListers): Plugin {
  return {
    name: names.VolumeBinding,
    preFilter(ctx) {
      const result = podVolumeClaims(ctx.pod.pod, listers);
      if (!result.ok) return { status: status("UnschedulableAndUnresolvable", result.message) };
      const { claims } = result;
      if (claims.bound.length + claims.delayBinding.length + claims.unboundImmediate.length === 0) return { skip: true };
      // The binder binds them; a PVC update brings the pod back.
      if (claims.unboundImmediate.length > 0) return { status: status("UnschedulableAndUnresolvable", ErrReasonUnboundImmediate) };
      // The volumes do not change within a cycle: listed once, not once per node.
      const volumes = claims.delayBinding.length > 0 ? listers.volumes() : [];
      ctx.state.write(STATE_KEY, { claims, listers: { ...listers, volumes: () => volumes } });
      return undefined;
    },
    filter(ctx, node) {
      const state = ctx.state.read<{ claims: PodVolumeClaims; listers: VolumeListers }>(STATE_KEY);
      if (!state) return null;
      const found = findPodVolumes(state.claims, node, state.listers);
      if (!found.ok) return status("Error", found.error);
      return found.reasons.length > 0 ? status("UnschedulableAndUnresolvable", ...found.reasons) : null;
    },
    events: [
      { resource: "StorageClass", actions: Action.Add | Action.Update },
      { resource: "PersistentVolumeClaim", actions: Action.Add | Action.Update },
      { resource: "PersistentVolume", actions: Action.Add | Action.Update },
      { resource: "Node", actions: Action.Add | Action.UpdateNodeLabel | Action.UpdateNodeTaint },
    ],
  };
}
