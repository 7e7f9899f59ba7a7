// The plugin contract (upstream pkg/scheduler/framework/interface.go, cut
// down to the extension points mirrorkube runs): a plugin is an object with
// a name and the hooks it implements. Plugins are pure over (pod, snapshot,
// cycle state): no I/O, no clock, no randomness.
import type { ClusterEventRegistration } from "./events.ts";
import type { NodeInfo } from "./node-info.ts";
import type { PodInfo } from "./pod-info.ts";
import type { Snapshot } from "./snapshot.ts";

export type Code = "Success" | "Error" | "Unschedulable" | "UnschedulableAndUnresolvable" | "Skip";

/** A non-success result; success is `null` so the hot path allocates nothing. */
export interface Status {
  readonly code: Exclude<Code, "Success">;
  readonly reasons: readonly string[];
  /** The plugin that returned it (set by the framework). */
  readonly plugin?: string;
}

export function status(code: Status["code"], ...reasons: string[]): Status {
  return { code, reasons };
}

/** Unschedulable or UnschedulableAndUnresolvable (upstream Status.IsRejected). */
export function isRejected(s: Status | null | undefined): boolean {
  return s?.code === "Unschedulable" || s?.code === "UnschedulableAndUnresolvable";
}

/** Status.Message(): the reasons joined with ", ". */
export function statusMessage(s: Status): string {
  return s.reasons.join(", ");
}

/** Per-cycle scratch space (upstream CycleState): PreFilter/PreScore results read by Filter/Score. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter said Skip: their Filter is not run. */
  readonly skipFilter = new Set<string>();
  /** Plugins whose PreScore said Skip: their Score is not run. */
  readonly skipScore = new Set<string>();

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

export interface CycleContext {
  readonly pod: PodInfo;
  readonly snapshot: Snapshot;
  readonly state: CycleState;
}

/** What PreFilter returns: nothing (proceed), skip, a rejection, or a restriction to named nodes. */
export type PreFilterOutcome =
  | undefined
  | { readonly skip: true }
  | { readonly status: Status }
  | { readonly nodeNames: ReadonlySet<string> };

export interface NodeScore {
  readonly name: string;
  score: number;
}

export interface Plugin {
  readonly name: string;
  preFilter?(ctx: CycleContext): PreFilterOutcome;
  /** null = the node fits. */
  filter?(ctx: CycleContext, node: NodeInfo): Status | null;
  /** `"skip"` leaves this plugin's Score out of the cycle. `nodes` are the feasible nodes. */
  preScore?(ctx: CycleContext, nodes: readonly NodeInfo[]): "skip" | undefined;
  score?(ctx: CycleContext, node: NodeInfo): number;
  /** Maps raw scores to 0–100 in place (upstream ScoreExtensions.NormalizeScore). */
  normalizeScore?(ctx: CycleContext, scores: NodeScore[]): void;
  /** Cluster events that may make a pod this plugin rejected schedulable (upstream EventsToRegister). */
  readonly events?: readonly ClusterEventRegistration[];
}

export const MAX_NODE_SCORE = 100;
