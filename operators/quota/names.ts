// The names the quota controllers use: in --controllers, metrics, events,
// field managers and the webhook configuration.

/** The usage controller's name in --controllers. */
export const RESOURCE_QUOTA = "resourcequota";

/** The admission webhook's name in --controllers (it needs --webhook-bind-address). */
export const RESOURCE_QUOTA_ADMISSION = "resourcequota-admission";

/** Upstream's event source for the usage controller. */
export const RESOURCE_QUOTA_COMPONENT = "resourcequota-controller";

/** Where the admission webhook is served. */
export const ADMISSION_PATH = "/validate-resourcequota";

/** The webhook names, which the API server quotes in every denial. */
export const WEBHOOK_NAME = "resourcequota.mirrorkube.dev";
export const UPDATE_WEBHOOK_NAME = "resourcequota-update.mirrorkube.dev";

/** Upstream's full recompute period (--resource-quota-sync-period). */
export const RESYNC_MS = 5 * 60_000;
