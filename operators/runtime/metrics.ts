// The process-wide Prometheus registry and the metrics of the runtime's data
// path. Names, help texts, labels and buckets are controller-runtime's
// (pkg/internal/metrics/workqueue.go, pkg/metrics/client_go_adapter.go) so
// existing dashboards and alerts work unchanged. Other runtime parts register
// their metrics into the same `registry`.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export const registry = new Registry();

const queueLabels = ["name", "controller"] as const;

// prometheus.ExponentialBuckets(10e-9, 10, 12): 1e-8 s … 1e3 s. Written as
// literals so the bucket bounds are exact decimal numbers.
const queueBuckets = Array.from({ length: 12 }, (_, i) => Number(`1e${i - 8}`));

const depth = new Gauge({
  name: "workqueue_depth",
  help: "Current depth of workqueue",
  labelNames: queueLabels,
  registers: [registry],
});

const adds = new Counter({
  name: "workqueue_adds_total",
  help: "Total number of adds handled by workqueue",
  labelNames: queueLabels,
  registers: [registry],
});

const queueDuration = new Histogram({
  name: "workqueue_queue_duration_seconds",
  help: "How long in seconds an item stays in workqueue before being requested",
  labelNames: queueLabels,
  buckets: queueBuckets,
  registers: [registry],
});

const workDuration = new Histogram({
  name: "workqueue_work_duration_seconds",
  help: "How long in seconds processing an item from workqueue takes.",
  labelNames: queueLabels,
  buckets: queueBuckets,
  registers: [registry],
});

const retries = new Counter({
  name: "workqueue_retries_total",
  help: "Total number of retries handled by workqueue",
  labelNames: queueLabels,
  registers: [registry],
});

/** What a live queue reports about the items its workers hold right now. */
export interface InFlightWork {
  unfinishedWorkSeconds(): number;
  longestRunningProcessorSeconds(): number;
}

// client-go refreshes these two gauges from a 500 ms loop; computing them at
// scrape time gives the same numbers without a timer per queue.
const inFlight = new Map<string, InFlightWork>();

new Gauge({
  name: "workqueue_unfinished_work_seconds",
  help:
    "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. " +
    "Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
  labelNames: queueLabels,
  registers: [registry],
  collect() {
    for (const [name, work] of inFlight) this.set({ name, controller: name }, work.unfinishedWorkSeconds());
  },
});

new Gauge({
  name: "workqueue_longest_running_processor_seconds",
  help: "How many seconds has the longest running processor for workqueue been running.",
  labelNames: queueLabels,
  registers: [registry],
  collect() {
    for (const [name, work] of inFlight) this.set({ name, controller: name }, work.longestRunningProcessorSeconds());
  },
});

/** The workqueue metrics of one queue, bound to its labels. */
export interface WorkqueueInstruments {
  depth: { inc(): void; dec(): void; set(value: number): void };
  adds: { inc(): void };
  queueDuration: { observe(seconds: number): void };
  workDuration: { observe(seconds: number): void };
  retries: { inc(): void };
  /** Reports `work` under this queue's name until the returned function is called. */
  trackInFlight(work: InFlightWork): () => void;
}

/** controller-runtime sets both labels to the queue name, which is the controller name. */
export function workqueueInstruments(name: string): WorkqueueInstruments {
  const labels = { name, controller: name };
  return {
    depth: depth.labels(labels),
    adds: adds.labels(labels),
    queueDuration: queueDuration.labels(labels),
    workDuration: workDuration.labels(labels),
    retries: retries.labels(labels),
    trackInFlight(work) {
      inFlight.set(name, work);
      return () => {
        if (inFlight.get(name) === work) inFlight.delete(name);
      };
    },
  };
}

/** client-go's request result counter; code is the HTTP status or "<error>" when no response came. */
export const restClientRequests = new Counter({
  name: "rest_client_requests_total",
  help: "Number of HTTP requests, partitioned by status code, method, and host.",
  labelNames: ["code", "method", "host"] as const,
  registers: [registry],
});

/** Watch lines and list items the reflector could not use; never dropped without a count. */
export const reflectorParseErrors = new Counter({
  name: "mirrorkube_reflector_parse_errors_total",
  help: "Watch lines or list items a reflector could not parse and skipped.",
  labelNames: ["resource"] as const,
  registers: [registry],
});

/** The current value of one series of a counter or gauge in `registry` (0 when the series does not exist yet). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name} in the registry`);
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  const series = values.find((v) => wanted.every(([k, val]) => v.labels[k] === val));
  return series?.value ?? 0;
}
