import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { isConflict, isNamespaceTerminating } from "../client/index.ts";
import { log as rootLog } from "../logging.ts";
import { RateLimitingQueue } from "../queue/index.ts";
import { activeWorkers, initControllerMetrics, reconcileErrors, reconcilePanics, reconcileTime, reconcileTotal, terminalReconcileErrors } from "./metrics.ts";
import { parseKey, requestKey, TerminalError, type Reconciler, type Request } from "./request.ts";

export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  /** Concurrent reconciles; one key is never reconciled by two at once. */
  workers?: number;
  queue?: RateLimitingQueue<string>;
}

/**
 * The reconcile loop (controller-runtime's internal controller): workers take
 * keys from a rate-limited queue, reconcile them, and requeue with backoff on
 * error, after a delay on request, or not at all on success.
 */
export class Controller {
  readonly name: string;
  readonly queue: RateLimitingQueue<string>;
  private readonly reconciler: Reconciler;
  private readonly workers: number;
  private readonly log: Logger;
  private running: Promise<void>[] = [];

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.reconciler = options.reconciler;
    this.workers = options.workers ?? 1;
    this.queue = options.queue ?? new RateLimitingQueue<string>({ name: options.name });
    this.log = rootLog.child({ controller: options.name });
    initControllerMetrics(this.name, this.workers);
  }

  enqueue(req: Request): void {
    this.queue.add(requestKey(req));
  }

  enqueueAfter(req: Request, ms: number): void {
    this.queue.addAfter(requestKey(req), ms);
  }

  /** Starts the workers; they stop when `signal` aborts (see stop for draining). */
  start(signal: AbortSignal): void {
    this.log.info({ workers: this.workers }, "starting workers");
    this.running = Array.from({ length: this.workers }, () => this.worker(signal));
  }

  /** Stops taking work and waits for in-flight reconciles to finish. */
  async stop(): Promise<void> {
    await this.queue.shutDownWithDrain();
    await Promise.all(this.running);
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileKey(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    const req = parseKey(key);
    const reconcileID = randomUUID();
    const log = this.log.child({ namespace: req.namespace || undefined, name: req.name, reconcileID });
    const labels = { controller: this.name };
    activeWorkers.inc(labels);
    const end = reconcileTime.startTimer(labels);
    try {
      const result = await this.reconciler(req, { log, reconcileID, signal });
      this.queue.forget(key);
      if (result?.requeueAfterMs && result.requeueAfterMs > 0) {
        this.queue.addAfter(key, result.requeueAfterMs);
        reconcileTotal.inc({ ...labels, result: "requeue_after" });
      } else {
        reconcileTotal.inc({ ...labels, result: "success" });
      }
    } catch (err) {
      this.onError(key, err, log);
    } finally {
      end();
      activeWorkers.dec(labels);
    }
  }

  private onError(key: string, err: unknown, log: Logger): void {
    const labels = { controller: this.name };
    if (isConflict(err)) {
      // Someone wrote first: our cache is stale. Retry with backoff, nothing to log.
      this.queue.addRateLimited(key);
      reconcileTotal.inc({ ...labels, result: "requeue" });
      log.debug({ err: (err as Error).message }, "conflict; requeued");
      return;
    }
    if (isNamespaceTerminating(err)) {
      // The namespace and all in it are going away: nothing left to converge.
      this.queue.forget(key);
      reconcileTotal.inc({ ...labels, result: "success" });
      log.debug({ err: err.message }, "namespace terminating; dropped");
      return;
    }
    reconcileTotal.inc({ ...labels, result: "error" });
    reconcileErrors.inc(labels);
    if (err instanceof TerminalError) {
      this.queue.forget(key);
      terminalReconcileErrors.inc(labels);
      log.error({ err }, "reconciler returned a terminal error; not requeued");
      return;
    }
    if (isPanic(err)) reconcilePanics.inc(labels);
    this.queue.addRateLimited(key);
    log.error({ err }, "reconciler error; requeued with backoff");
  }
}

/** A programming error (JavaScript's analogue of a Go panic), counted apart from API errors. */
function isPanic(err: unknown): boolean {
  return !(err instanceof Error) || err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError;
}
