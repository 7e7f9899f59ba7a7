import type { KubeObject } from "../client/index.ts";

export type EventType = "Normal" | "Warning";

/** A core/v1 Event, as the recorder writes it. */
export interface CoreEvent extends KubeObject {
  involvedObject: {
    apiVersion?: string;
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    resourceVersion?: string;
  };
  reason: string;
  message: string;
  type: EventType;
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  reportingComponent: string;
  reportingInstance: string;
}

export const eventResource = { group: "", version: "v1", plural: "events", namespaced: true } as const;
