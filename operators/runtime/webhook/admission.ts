// admission.k8s.io/v1 AdmissionReview: what the API server sends a webhook
// and what it expects back (k8s.io/api/admission/v1/types.go).
import type { KubeObject, Status } from "../client/index.ts";

export type Operation = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: GroupVersionResource;
  subResource?: string;
  requestKind?: { group: string; version: string; kind: string };
  requestResource?: GroupVersionResource;
  /** Empty on a CREATE whose object has only generateName; the object then carries the generated name. */
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
  options?: unknown;
}

/** What a handler decides; the server adds the request's uid. */
export interface AdmissionDecision {
  allowed: boolean;
  /** For a denial: the API server returns it to the client, prefixed with the webhook's name. */
  status?: Status;
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: "admission.k8s.io/v1";
  kind: "AdmissionReview";
  request?: AdmissionRequest;
  response?: AdmissionDecision & { uid: string };
}

export type AdmissionHandler = (request: AdmissionRequest, signal: AbortSignal) => Promise<AdmissionDecision> | AdmissionDecision;

export const allowed = (): AdmissionDecision => ({ allowed: true });

/** A denial with an HTTP code and a Status reason (controller-runtime's admission.Errored / Denied). */
export function denied(code: number, reason: string, message: string, details?: Status["details"]): AdmissionDecision {
  return { allowed: false, status: { status: "Failure", code, reason, message, ...(details && { details }) } };
}
