// The names the service controller writes.

/** The controller's name in --controllers, metrics and logs. */
export const SERVICE_CONTROLLER = "service";

/** The field manager of its server-side applies, and the component of its events. */
export const SERVICE_FIELD_MANAGER = "mirrorkube-service-controller";

/** The label the zone of an endpoint comes from (on the Pod's Node). */
export const ZONE_LABEL = "topology.kubernetes.io/zone";

export const Reasons = {
  /** Warning: a real Service of the mirror's name exists that the mirror does not own; it is left alone. */
  conflict: "RealServiceConflict",
  /** Warning: the API server refused the real Service. */
  failedApply: "FailedToApplyRealService",
} as const;
