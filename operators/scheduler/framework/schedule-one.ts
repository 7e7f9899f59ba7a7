// One scheduling cycle (upstream pkg/scheduler/schedule_one.go schedulePod),
// as a pure function: PreFilter, Filter over the nodes, PreScore/Score/
// NormalizeScore on the feasible ones, weighted sum, highest wins with ties
// broken by the injected random source. Binding, events and conditions are
// the caller's.
import type { Diagnosis } from "./fit-error.ts";
import { fitErrorMessage, NO_NODES_AVAILABLE } from "./fit-error.ts";
import type { CycleContext, NodeScore, Plugin, Status } from "./interface.ts";
import { CycleState, isRejected, status, statusMessage } from "./interface.ts";
import type { NodeInfo } from "./node-info.ts";
import type { PodLike } from "./objects.ts";
import { podInfoOf } from "./pod-info.ts";
import type { PluginsConfig, Profile } from "./profile.ts";
import { newProfile } from "./profile.ts";
import type { Snapshot } from "./snapshot.ts";

/** A source of uniform numbers in [0, 1), e.g. Math.random or a seeded generator in tests. */
export type Random = () => number;

/** A plugin returned an Error status (not a verdict about the pod): the cycle is aborted. */
export class SchedulingError extends Error {
  constructor(
    readonly plugin: string,
    message: string,
  ) {
    super(`${plugin}: ${message}`);
    this.name = "SchedulingError";
  }
}

export interface NodeScoreDetail {
  readonly node: string;
  readonly total: number;
  /** Per plugin, normalized and weighted. */
  readonly plugins: Readonly<Record<string, number>>;
}

export interface SchedulingFailure {
  /** The FailedScheduling / PodScheduled=False message, e.g. "0/3 nodes are available: 3 Insufficient cpu.". */
  readonly message: string;
  readonly numAllNodes: number;
  readonly diagnosis: Diagnosis;
}

export type ScheduleResult =
  | {
      readonly ok: true;
      readonly node: string;
      /** Empty when a single node was feasible (nothing to compare). */
      readonly scores: readonly NodeScoreDetail[];
      readonly evaluatedNodes: number;
      readonly feasibleNodes: number;
      /** Add to the next cycle's startIndex (upstream nextStartNodeIndex). */
      readonly processedNodes: number;
    }
  | { readonly ok: false; readonly failure: SchedulingFailure; readonly processedNodes: number };

export interface ScheduleOptions {
  /** Where to start filtering, so that successive cycles look at different nodes first. */
  readonly startIndex?: number;
}

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** How many feasible nodes are enough to stop filtering (upstream numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) percentage = Math.max(50 - Math.trunc(numAllNodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  return Math.max(Math.trunc((numAllNodes * percentage) / 100), MIN_FEASIBLE_NODES_TO_FIND);
}

/** The result of running every PreFilter. */
export type PreFilterResult =
  | { readonly rejected: false; readonly allowed?: ReadonlySet<string>; readonly absentStatus?: Status }
  | { readonly rejected: true; readonly status: Status; readonly plugins: ReadonlySet<string> };

function withPlugin(s: Status, plugin: string): Status {
  if (s.code === "Error") throw new SchedulingError(plugin, statusMessage(s));
  return { ...s, plugin };
}

/** Runs the PreFilter of every plugin (upstream RunPreFilterPlugins), recording skips in the cycle state. */
export function runPreFilter(ctx: CycleContext, plugins: readonly Plugin[]): PreFilterResult {
  let allowed: Set<string> | undefined;
  const narrowing: string[] = [];
  for (const p of plugins) {
    const out = p.preFilter?.(ctx);
    if (!out) continue;
    if ("skip" in out) {
      ctx.state.skipFilter.add(p.name);
    } else if ("status" in out) {
      return { rejected: true, status: withPlugin(out.status, p.name), plugins: new Set([p.name]) };
    } else {
      narrowing.push(p.name);
      allowed = allowed ? new Set([...allowed].filter((n) => out.nodeNames.has(n))) : new Set(out.nodeNames);
      if (allowed.size === 0) {
        const message =
          narrowing.length === 1
            ? `node(s) didn't satisfy plugin ${p.name}`
            : `node(s) didn't satisfy plugin(s) [${narrowing.join(" ")}] simultaneously`;
        return { rejected: true, status: status("UnschedulableAndUnresolvable", message), plugins: new Set(narrowing) };
      }
    }
  }
  if (!allowed) return { rejected: false };
  return {
    rejected: false,
    allowed,
    // Nodes a PreFilter result leaves out count as rejected by those plugins.
    absentStatus: status("UnschedulableAndUnresolvable", `node(s) didn't satisfy plugin(s) [${[...narrowing].sort().join(" ")}]`),
  };
}

/** Runs the Filters in order until one rejects the node (upstream RunFilterPlugins). */
export function runFilters(ctx: CycleContext, plugins: readonly Plugin[], node: NodeInfo): Status | null {
  for (const p of plugins) {
    if (!p.filter || ctx.state.skipFilter.has(p.name)) continue;
    const s = p.filter(ctx, node);
    if (s) return withPlugin(s, p.name);
  }
  return null;
}

/** PreScore, Score and NormalizeScore of every scoring plugin, weighted (upstream RunScorePlugins). */
export function prioritize(ctx: CycleContext, profile: Profile, nodes: readonly NodeInfo[]): { details: NodeScoreDetail[]; weightSum: number } {
  const totals = new Array<number>(nodes.length).fill(0);
  const perPlugin = nodes.map(() => ({}) as Record<string, number>);
  let weightSum = 0;
  for (const p of profile.plugins) {
    if (!p.score) continue;
    if (p.preScore?.(ctx, nodes) === "skip") ctx.state.skipScore.add(p.name);
    if (ctx.state.skipScore.has(p.name)) continue;
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: p.score?.(ctx, n) ?? 0 }));
    p.normalizeScore?.(ctx, scores);
    const weight = profile.weight(p.name);
    weightSum += weight;
    scores.forEach((s, i) => {
      const weighted = s.score * weight;
      totals[i] = (totals[i] ?? 0) + weighted;
      const entry = perPlugin[i];
      if (entry) entry[p.name] = weighted;
    });
  }
  const details = nodes.map((n, i) => ({ node: n.name, total: totals[i] ?? 0, plugins: perPlugin[i] ?? {} }));
  return { details, weightSum };
}

/** The highest total; among equals, each is equally likely (reservoir sampling over the ties). */
export function selectHost(scores: readonly NodeScoreDetail[], random: Random): string {
  let best: NodeScoreDetail | undefined;
  let ties = 0;
  for (const s of scores) {
    if (!best || s.total > best.total) {
      best = s;
      ties = 1;
    } else if (s.total === best.total) {
      ties++;
      if (Math.floor(random() * ties) === 0) best = s;
    }
  }
  if (!best) throw new Error("selectHost: no nodes");
  return best.node;
}

function failure(numAllNodes: number, diagnosis: Diagnosis, processedNodes: number): ScheduleResult {
  return { ok: false, failure: { message: fitErrorMessage(numAllNodes, diagnosis), numAllNodes, diagnosis }, processedNodes };
}

/**
 * Schedules one pod on a snapshot. `plugins` is a Profile (build it once
 * with newProfile) or a PluginsConfig. Never mutates the snapshot.
 */
export function schedulePod(
  pod: PodLike,
  snapshot: Snapshot,
  plugins: Profile | PluginsConfig,
  random: Random,
  options: ScheduleOptions = {},
): ScheduleResult {
  const profile = "hasScoring" in plugins ? plugins : newProfile(plugins);
  const all = snapshot.nodeInfos;
  const emptyDiagnosis: Diagnosis = { nodeStatuses: new Map(), unschedulablePlugins: new Set() };
  if (all.length === 0) {
    return { ok: false, failure: { message: NO_NODES_AVAILABLE, numAllNodes: 0, diagnosis: emptyDiagnosis }, processedNodes: 0 };
  }
  const ctx: CycleContext = { pod: podInfoOf(pod), snapshot, state: new CycleState() };

  const pre = runPreFilter(ctx, profile.plugins);
  if (pre.rejected) {
    if (!isRejected(pre.status)) throw new SchedulingError(pre.status.plugin ?? "PreFilter", statusMessage(pre.status));
    const diagnosis: Diagnosis = {
      nodeStatuses: new Map(),
      absentNodesStatus: pre.status,
      preFilterMessage: statusMessage(pre.status),
      unschedulablePlugins: pre.plugins,
    };
    return failure(all.length, diagnosis, 0);
  }

  // A node nominated by an earlier preemption is tried first, alone.
  const nominated = pod.status?.nominatedNodeName ? snapshot.get(pod.status.nominatedNodeName) : undefined;
  if (nominated && runFilters(ctx, profile.plugins, nominated) === null) {
    return { ok: true, node: nominated.name, scores: [], evaluatedNodes: 1, feasibleNodes: 1, processedNodes: 0 };
  }

  const candidates = pre.allowed ? all.filter((n) => pre.allowed?.has(n.name)) : all;
  const enough = profile.hasScoring ? numFeasibleNodesToFind(profile.percentageOfNodesToScore, candidates.length) : 1;
  const start = candidates.length === 0 ? 0 : (options.startIndex ?? 0) % candidates.length;
  const feasible: NodeInfo[] = [];
  const nodeStatuses = new Map<string, Status>();
  const unschedulablePlugins = new Set<string>();
  for (let i = 0; i < candidates.length && feasible.length < enough; i++) {
    const node = candidates[(start + i) % candidates.length];
    if (!node) continue;
    const s = runFilters(ctx, profile.plugins, node);
    if (s === null) {
      feasible.push(node);
    } else {
      nodeStatuses.set(node.name, s);
      if (s.plugin) unschedulablePlugins.add(s.plugin);
    }
  }
  const processedNodes = feasible.length + nodeStatuses.size;

  if (feasible.length === 0) {
    return failure(all.length, { nodeStatuses, absentNodesStatus: pre.absentStatus, unschedulablePlugins }, processedNodes);
  }
  const [only] = feasible;
  if (feasible.length === 1 && only) {
    return { ok: true, node: only.name, scores: [], evaluatedNodes: processedNodes, feasibleNodes: 1, processedNodes };
  }
  const { details } = prioritize(ctx, profile, feasible);
  const node = selectHost(details, random);
  return { ok: true, node, scores: details, evaluatedNodes: processedNodes, feasibleNodes: feasible.length, processedNodes };
}
