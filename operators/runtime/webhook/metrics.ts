// controller-runtime's webhook metrics (pkg/webhook/internal/metrics): the
// same names, help texts and labels, so existing dashboards and alerts work.
import { Counter, Gauge, Histogram } from "prom-client";
import { registry } from "../metrics.ts";

export const webhookLatency = new Histogram({
  name: "controller_runtime_webhook_latency_seconds",
  help: "Histogram of the latency of processing admission requests",
  labelNames: ["webhook", "code"] as const,
  // prometheus.DefBuckets, as controller-runtime leaves them.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const webhookRequests = new Counter({
  name: "controller_runtime_webhook_requests_total",
  help: "Total number of admission requests by HTTP status code.",
  labelNames: ["webhook", "code"] as const,
  registers: [registry],
});

export const webhookInFlight = new Gauge({
  name: "controller_runtime_webhook_requests_in_flight",
  help: "Current number of admission requests being served.",
  labelNames: ["webhook"] as const,
  registers: [registry],
});

export const webhookPanics = new Counter({
  name: "controller_runtime_webhook_panics_total",
  help: "Total number of webhook panics",
  registers: [registry],
});
