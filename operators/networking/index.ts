// The service controller: mirror Services publish their endpoints and are
// backed by real v1 Services.
export { registerServiceController } from "./service-controller.ts";
export { endpointSlices, findPort, podToEndpoint, selectsPods } from "./endpoints.ts";
export { SERVICE_CONTROLLER } from "./names.ts";
