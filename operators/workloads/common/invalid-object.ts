// A malformed object (one its schema rejects) must not wedge its controller:
// it is reported once per version, as a log line and a Warning event on the
// object, and skipped until someone fixes it (the fix is an update, which
// brings it back to the queue).
import type { Logger } from "pino";
import type { InvalidObjectError } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import type { EventType } from "../../runtime/events/event.ts";

/** Not upstream (the built-in API server refuses such objects): the reason of the Warning event. */
export const INVALID_OBJECT_REASON = "InvalidObject";

export interface InvalidObjectEvents {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

/** Reports each malformed object version once; remembers the last version per key. */
export class InvalidObjectReporter {
  private readonly reported = new Map<string, string | undefined>();

  constructor(private readonly events: InvalidObjectEvents) {}

  report(key: string, obj: KubeObject, error: InvalidObjectError, log: Logger): void {
    const version = obj.metadata?.resourceVersion;
    if (this.reported.has(key) && this.reported.get(key) === version) return;
    this.reported.set(key, version);
    log.error({ err: error, issues: error.issues }, "skipping a malformed object");
    this.events.event(obj, "Warning", INVALID_OBJECT_REASON, error.message);
  }

  /** The object parsed again, or is gone: a later breakage is news. */
  forget(key: string): void {
    this.reported.delete(key);
  }
}
