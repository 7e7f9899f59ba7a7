// The names the storage controllers read and write: upstream's annotations,
// finalizers, event reasons and messages (component-helpers/storage/volume,
// pkg/controller/volume/events, pv_controller.go), so that kubectl describe,
// scripts and people's knowledge carry over to the mirror kinds.

/** On a PVC: the binding went through the controller once; how later states are read. */
export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
/** On a PV or PVC: the controller, not the user, wrote the binding (absent: pre-bound by the user). */
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
/** On a PV: the provisioner that created it. */
export const ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
/** On a PVC: the provisioner asked to provision it (and the deprecated beta form, written too). */
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
/** On a PVC: the node the scheduler chose for its first consumer (WaitForFirstConsumer). */
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
/** The deprecated class annotations, still honoured when storageClassName is unset. */
export const ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
/** On a StorageClass: claims without a class get this one. */
export const ANN_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
export const ANN_BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";

/**
 * On a mirror PV: the name of a real v1 PersistentVolumeClaim (in the
 * namespace of the mirror claim bound to it) that realized Pods mount
 * instead, for clusters with real storage. Not upstream: the PV source
 * fields name volume plugins, and a claim is not one.
 */
export const ANN_REAL_CLAIM = "mirrorkube.dev/real-claim";

/**
 * Upstream's protection finalizers. The mirror kinds use the same names:
 * nothing else acts on mirror objects (kube-controller-manager watches only
 * the built-in kinds), and whoever knows to look for, or to remove,
 * kubernetes.io/pvc-protection on a stuck claim finds it where expected.
 */
export const PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
export const PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";

/** A class with this provisioner never provisions (local volumes, static PVs). */
export const NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner";

/** The component of the binder's events (kube-controller-manager's). */
export const PV_CONTROLLER_COMPONENT = "persistentvolume-controller";

/** Event reasons (pkg/controller/volume/events), as upstream. */
export const Events = {
  failedBinding: "FailedBinding",
  volumeMismatch: "VolumeMismatch",
  claimLost: "ClaimLost",
  claimMisbound: "ClaimMisbound",
  waitForFirstConsumer: "WaitForFirstConsumer",
  waitForPodScheduled: "WaitForPodScheduled",
  externalProvisioning: "ExternalProvisioning",
  provisioningFailed: "ProvisioningFailed",
  provisioningSucceeded: "ProvisioningSucceeded",
  provisioning: "Provisioning",
  volumeFailedDelete: "VolumeFailedDelete",
  volumeFailedRecycle: "VolumeFailedRecycle",
  volumeUnknownReclaimPolicy: "VolumeUnknownReclaimPolicy",
  volumeDelete: "VolumeDelete",
} as const;

/** Event and status messages, upstream's texts. */
export const Messages = {
  noVolumeNoClass: "no persistent volumes available for this claim and no storage class is set",
  waitForFirstConsumer: "waiting for first consumer to be created before binding",
  waitForPod: (pods: readonly string[]) =>
    pods.length > 1 ? `waiting for pods ${pods.join(",")} to be scheduled` : `waiting for pod ${pods[0] ?? ""} to be scheduled`,
  requestedVolumeMismatch: (volume: string, why: string) => `Cannot bind to requested volume "${volume}": ${why}`,
  alreadyBoundElsewhere: (volume: string) => `volume "${volume}" already bound to a different claim.`,
  claimLostReference: "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
  claimLostVolume: "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
  claimMisbound: "Two claims are bound to the same volume, this one is bound incorrectly",
  volumeModeMismatchOnVolume: (claim: string) => `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim}" due to incompatible volumeMode.`,
  volumeModeMismatchOnClaim: (volume: string) => `Cannot bind PersistentVolume "${volume}" to requested PersistentVolumeClaim due to incompatible volumeMode.`,
  externalProvisioning: (provisioner: string) =>
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. ` +
    "If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
  classNotFound: (name: string) => `storageclass.storage.mirrorkube.dev "${name}" not found`,
  noProvisionerPlugin: (name: string) => `no volume plugin matched name: ${name}`,
  unknownReclaimPolicy: "Volume has unrecognized PersistentVolumeReclaimPolicy",
  noRecycler: (volume: string) => `No recycler plugin found for the volume "${volume}": Recycle is deprecated, use dynamic provisioning with the Delete policy`,
  noDeleter: (volume: string) => `error getting deleter volume plugin for volume "${volume}": no deletable volume plugin matched`,
  // The external provisioner library's (sig-storage-lib-external-provisioner).
  provisioning: (claimKey: string) => `External provisioner is provisioning volume for claim "${claimKey}"`,
  provisioned: (volume: string) => `Successfully provisioned volume ${volume}`,
  provisionFailed: (cls: string, why: string) => `failed to provision volume with StorageClass "${cls}": ${why}`,
} as const;
