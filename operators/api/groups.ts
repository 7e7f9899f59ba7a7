export const CORE_GROUP = "core.mirrorkube.dev";
export const APPS_GROUP = "apps.mirrorkube.dev";
export const STORAGE_GROUP = "storage.mirrorkube.dev";
