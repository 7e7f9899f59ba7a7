// The informer benchmark's results: raw JSON in bench/results/informer.json,
// and a table in its own section of bench/README.md.
import { cpus, loadavg, totalmem } from "node:os";
import { resultsFileOf, writeBenchResults } from "../common/results.ts";
import type { MemoryResult } from "./memory.ts";
import type { AddsResult, UpdatesResult } from "./throughput.ts";

export const resultsFile = resultsFileOf("informer");

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  /** 1-minute load average when the run started: other work on the machine skews the numbers. */
  loadAverage: number;
}

/** Medians over the rounds, and every round's numbers. */
export interface MemorySummary {
  bytesPerObject: number;
  listMs: number;
  samples: MemoryResult[];
}

export interface AddsSummary {
  eventsPerSecond: number;
  processedMs: number;
  listMs: number;
  cpuMicrosPerEvent: number;
  samples: AddsResult[];
}

export interface InformerResults {
  date: string;
  machine: Machine;
  kubernetes: string;
  objects: number;
  /** Rounds of the list, heap and adds measurements; updates run once. */
  repeat: number;
  writer: { concurrency: number; createsPerSecond: number; updatesPerSecond: number };
  memory: { mirrorkube: MemorySummary; clientNode: MemorySummary };
  adds: AddsSummary;
  updates: UpdatesResult & { writesDoneAt: number; lagMs: number };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function machine(): Machine {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}/${process.arch}`,
    node: process.version,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function writeResults(r: InformerResults): void {
  writeBenchResults("informer", r, markdown(r));
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function reconcileNote(u: UpdatesResult): string {
  if (u.reconciles > u.events) {
    return `more than one per event: the builder's update handler adds the key of the old and of the new object,
  and a key added while it is being reconciled runs once more (the queue's dirty set).`;
  }
  return "the queue collapsed keys added again before a worker took them.";
}

function markdown(r: InformerResults): string {
  const { mirrorkube: mk, clientNode: cn } = r.memory;
  const m = r.machine;
  return `## informer

\`npm run bench -- informer\` · ${r.date} · ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, load average ${m.loadAverage} at the start · Kubernetes ${r.kubernetes} (local control plane on the same machine)

${int(r.objects)} ConfigMaps (3 labels, 200 bytes of data, managedFields as the server keeps them) in one namespace.
Heap, list and adds: median of ${r.repeat} rounds, each in a fresh process; updates: one round.

| measure | mirrorkube runtime | client-node makeInformer | client-node ÷ mirrorkube |
|---|---:|---:|---:|
| heap per cached object (forced GC, synced minus baseline) | ${kib(mk.bytesPerObject)} | ${kib(cn.bytesPerObject)} | ${ratio(cn.bytesPerObject, mk.bytesPerObject)} |
| initial list, start → cache holds all (ms) | ${int(mk.listMs)} | ${int(cn.listMs)} | ${ratio(cn.listMs, mk.listMs)} |
| adds: start → all ${int(r.objects)} reconciled through the queue (ms) | ${int(r.adds.processedMs)} (list ${int(r.adds.listMs)}) | – | – |
| adds through reflector → cache → queue → reconcile (events/s) | ${int(r.adds.eventsPerSecond)} | – | – |
| updates written while watching, received (events/s) | ${int(r.updates.eventsPerSecond)} | – | – |
| CPU per event in the informer process, adds / updates (µs) | ${int(r.adds.cpuMicrosPerEvent)} / ${int(r.updates.cpuMicrosPerEvent)} | – | – |

- The update phase is bounded by the writer, not the informer: the server
  accepted ${int(r.writer.updatesPerSecond)} patches/s from ${r.writer.concurrency} concurrent writers, and the last
  event arrived ${int(Math.max(0, r.updates.lagMs))} ms after the last write was acknowledged. The informer
  process spent ${int(r.updates.cpuMicrosPerEvent)} µs of CPU per update event, i.e. one core would carry about
  ${int(1e6 / r.updates.cpuMicrosPerEvent)} events/s.
- ${int(r.updates.events)} update events became ${int(r.updates.reconciles)} reconciles; ${reconcileNote(r.updates)}
  The queue was empty ${int(r.updates.drainMs)} ms after the last event.
- Heap is V8's \`heapUsed\`; each implementation is measured in a fresh process after
  one warm-up request. client-node's cache holds the objects as its model classes
  (typed, with \`Date\` timestamps); the runtime's holds the JSON as received, plus the
  namespace and controller-owner indexes.
- Raw numbers: [results/informer.json](results/informer.json).

`;
}
