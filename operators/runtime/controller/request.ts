import type { Logger } from "pino";

/** What a reconcile is about: one object, by namespace (empty for cluster-scoped) and name. */
export interface Request {
  namespace: string;
  name: string;
}

export interface Result {
  /** Reconcile this object again after this long, even if nothing changes. */
  requeueAfterMs?: number;
}

export interface ReconcileContext {
  log: Logger;
  reconcileID: string;
  /** Aborted when the manager shuts down. */
  signal: AbortSignal;
}

export type Reconciler = (req: Request, ctx: ReconcileContext) => Promise<Result | void>;

/** An error retrying cannot fix (bad input): logged and counted, never requeued. */
export class TerminalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TerminalError";
  }
}

export function requestKey(req: Request): string {
  return req.namespace ? `${req.namespace}/${req.name}` : req.name;
}

export function parseKey(key: string): Request {
  const i = key.indexOf("/");
  return i < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
