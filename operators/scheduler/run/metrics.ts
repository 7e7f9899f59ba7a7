import { Counter, Gauge, Histogram } from "prom-client";
import { registry } from "../../runtime/metrics.ts";

// kube-scheduler's metric names, so scheduler dashboards work for mirror Pods too.
export const scheduleAttempts = new Counter({
  name: "scheduler_schedule_attempts_total",
  help: "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
  labelNames: ["result", "profile"] as const,
  registers: [registry],
});

export const schedulingAttemptDuration = new Histogram({
  name: "scheduler_scheduling_attempt_duration_seconds",
  help: "Scheduling attempt latency in seconds (scheduling algorithm + binding)",
  labelNames: ["result", "profile"] as const,
  buckets: Array.from({ length: 20 }, (_, i) => 0.001 * 2 ** i),
  registers: [registry],
});

export const pendingPods = new Gauge({
  name: "scheduler_pending_pods",
  help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
  labelNames: ["queue"] as const,
  registers: [registry],
});

// The extender's own series: kube-scheduler has none for the callee side.
export const extenderRequests = new Counter({
  name: "mirrorkube_extender_requests_total",
  help: "kube-scheduler extender calls served, by verb and HTTP status code.",
  labelNames: ["verb", "code"] as const,
  registers: [registry],
});

export const extenderDuration = new Histogram({
  name: "mirrorkube_extender_request_duration_seconds",
  help: "Time to answer one kube-scheduler extender call, by verb.",
  labelNames: ["verb"] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/**
 * The extender's series for both verbs from the start, as controller-runtime
 * pre-sets its reconcile series: a series born at its first call would hide
 * that call from rate() and the latency quantiles.
 */
export function initExtenderMetrics(): void {
  for (const verb of ["filter", "prioritize"]) {
    extenderRequests.inc({ verb, code: "200" }, 0);
    extenderDuration.zero({ verb });
  }
}
