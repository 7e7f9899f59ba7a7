// The names upstream's deployment controller writes (apps/v1 types.go,
// pkg/controller/deployment/util/deployment_util.go). They are part of the
// API people and tools already know, so they are spelled exactly as upstream.

/** The label that keeps each ReplicaSet's pods apart (apps/v1 DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

/** The rollout sequence number of a ReplicaSet, copied onto its Deployment. */
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
/** The revisions a reused ReplicaSet served before (comma list). */
export const REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
/** spec.replicas of the Deployment when it last scaled this ReplicaSet: tells scaling events from rollouts. */
export const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
/** replicas + maxSurge of the Deployment when it last scaled this ReplicaSet: the base of proportional scaling. */
export const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";
/** The legacy rollback request (extensions/v1beta1 spec.rollbackTo, round-tripped as an annotation). */
export const ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to";
/** kubectl apply's record of the last applied manifest. */
export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** A revision history longer than this stops growing (upstream: about 100 revisions). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/** Go's math.MaxInt32: progressDeadlineSeconds or revisionHistoryLimit set to it means "none". */
export const MAX_INT32 = 2147483647;

// Condition types and reasons.
export const DEPLOYMENT_AVAILABLE = "Available";
export const DEPLOYMENT_PROGRESSING = "Progressing";
export const DEPLOYMENT_REPLICA_FAILURE = "ReplicaFailure";
export const REPLICA_SET_REPLICA_FAILURE = "ReplicaFailure";

export const REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated";
export const FAILED_RS_CREATE_REASON = "ReplicaSetCreateError";
export const NEW_REPLICA_SET_REASON = "NewReplicaSetCreated";
export const FOUND_NEW_RS_REASON = "FoundNewReplicaSet";
export const NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable";
export const TIMED_OUT_REASON = "ProgressDeadlineExceeded";
export const PAUSED_DEPLOY_REASON = "DeploymentPaused";
export const RESUMED_DEPLOY_REASON = "DeploymentResumed";
export const MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
export const MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";

// Event reasons.
export const SCALING_REPLICA_SET_REASON = "ScalingReplicaSet";
export const SELECTING_ALL_REASON = "SelectingAll";
export const ROLLBACK_DONE_REASON = "DeploymentRollback";
export const ROLLBACK_REVISION_NOT_FOUND_REASON = "DeploymentRollbackRevisionNotFound";
export const ROLLBACK_TEMPLATE_UNCHANGED_REASON = "DeploymentRollbackTemplateUnchanged";
