// ResourceQuota for the mirror kinds: usage controller and admission webhook.
export { registerResourceQuotaAdmission, registerResourceQuotaController, type ResourceQuotaOptions } from "./register.ts";
export { ADMISSION_PATH, RESOURCE_QUOTA, RESOURCE_QUOTA_ADMISSION, UPDATE_WEBHOOK_NAME, WEBHOOK_NAME } from "./names.ts";
