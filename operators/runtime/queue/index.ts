export { realClock, sleep } from "./clock.ts";
export type { Clock } from "./clock.ts";
export { noQueueMetrics, PrometheusQueueMetrics } from "./queue-metrics.ts";
export type { QueueMetrics } from "./queue-metrics.ts";
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
} from "./rate-limiters.ts";
export type { RateLimiter } from "./rate-limiters.ts";
export { RateLimitingQueue } from "./rate-limiting-queue.ts";
export type { RateLimitingQueueOptions } from "./rate-limiting-queue.ts";
export { WorkQueue } from "./work-queue.ts";
export type { QueueKey, WorkQueueOptions } from "./work-queue.ts";
