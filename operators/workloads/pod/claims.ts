// The realizer's view of mirror claims: the translation of claim volumes
// reads the storage informers, and a mirror Pod waiting for a claim
// (Realized=False, VolumeNotReady) is looked at again when the claim, or the
// volume bound to it, changes.
import type { Request } from "../../runtime/controller/request.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { parseClaim, parseVolume, PODS_BY_CLAIM_INDEX, storageInformers, type RawObject } from "../../storage/index.ts";
import { requestFor } from "../../runtime/controller/builder.ts";
import { claimVolumeTranslator, type VolumeTranslator } from "./volumes.ts";

export interface ClaimVolumes {
  translateVolume: VolumeTranslator;
  /** Calls `enqueue` with the mirror Pods that use a claim whenever the claim or its volume changes. */
  onChange(enqueue: (req: Request) => void): void;
}

export function claimVolumes(mgr: Manager): ClaimVolumes {
  const informers = storageInformers(mgr);
  const translateVolume = claimVolumeTranslator({
    claim: (namespace, name) => parseClaim(informers.claims.store.get(`${namespace}/${name}`)),
    volume: (name) => parseVolume(informers.volumes.store.get(name)),
  });
  return {
    translateVolume,
    onChange(enqueue) {
      const podsOf = (claimKey: string) => {
        for (const pod of informers.pods.store.byIndex(PODS_BY_CLAIM_INDEX, claimKey)) enqueue(requestFor(pod));
      };
      const ofClaim = (claim: RawObject) => podsOf(`${claim.metadata?.namespace ?? ""}/${claim.metadata?.name ?? ""}`);
      const ofVolume = (volume: RawObject) => {
        const ref = (volume.spec as { claimRef?: { namespace?: string; name?: string } } | undefined)?.claimRef;
        if (ref?.namespace && ref.name) podsOf(`${ref.namespace}/${ref.name}`);
      };
      informers.claims.addEventHandler({ add: ofClaim, update: (_old, cur) => ofClaim(cur), delete: ofClaim });
      informers.volumes.addEventHandler({ add: ofVolume, update: (_old, cur) => ofVolume(cur), delete: ofVolume });
    },
  };
}
