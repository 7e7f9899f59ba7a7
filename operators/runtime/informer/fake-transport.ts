// Test support: a ListWatchTransport that plays a script. Each list() call
// takes the next scripted page (or error), each watch() call the next
// scripted stream; with the script used up, a call waits until aborted, like
// a quiet server. Every call's options are recorded.
import type { KubeObject } from "../client/types.ts";
import type { ListPage, ListPageOptions, ListWatchTransport, WatchStreamOptions } from "./transport.ts";

export type WatchStep =
  /** One raw line, sent as is. */
  | { line: string }
  /** The stream fails. */
  | { fail: unknown }
  /** The stream stays open and silent until the promise settles (or the stream is aborted). */
  | { gate: Promise<unknown> }
  /** The stream stays open and silent until aborted. */
  | { hang: true };

export type ListStep = ListPage | { fail: unknown };

export class ScriptedTransport implements ListWatchTransport {
  readonly listCalls: ListPageOptions[] = [];
  readonly watchCalls: WatchStreamOptions[] = [];
  private readonly lists: ListStep[] = [];
  private readonly watches: WatchStep[][] = [];

  /** Scripts the answers of the next list() calls, one step each. */
  onList(...steps: ListStep[]): this {
    this.lists.push(...steps);
    return this;
  }

  /** Scripts the next watch() call: the lines it yields, then the server closes it (unless a step fails or hangs). */
  onWatch(...steps: WatchStep[]): this {
    this.watches.push(steps);
    return this;
  }

  async list(options: ListPageOptions, signal: AbortSignal): Promise<ListPage> {
    this.listCalls.push(options);
    const step = this.lists.shift();
    if (!step) return untilAborted(signal);
    if ("fail" in step) throw step.fail;
    return structuredClone(step);
  }

  async *watch(options: WatchStreamOptions, signal: AbortSignal): AsyncGenerator<string> {
    this.watchCalls.push(options);
    const steps = this.watches.shift() ?? [{ hang: true }];
    for (const step of steps) {
      signal.throwIfAborted();
      if ("line" in step) yield step.line;
      else if ("fail" in step) throw step.fail;
      else if ("gate" in step) await Promise.race([step.gate, untilAborted(signal)]);
      else await untilAborted(signal);
    }
  }
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

type EventType = "ADDED" | "MODIFIED" | "DELETED";

export function event(type: EventType, object: KubeObject): WatchStep {
  return { line: JSON.stringify({ type, object }) };
}

export function bookmark(resourceVersion: string): WatchStep {
  return { line: JSON.stringify({ type: "BOOKMARK", object: { kind: "Widget", metadata: { resourceVersion } } }) };
}

export function errorEvent(code: number, reason: string): WatchStep {
  return { line: JSON.stringify({ type: "ERROR", object: { kind: "Status", apiVersion: "v1", status: "Failure", code, reason } }) };
}

export function page(resourceVersion: string, items: KubeObject[], continueToken?: string): ListPage {
  return { apiVersion: "example.dev/v1", kind: "WidgetList", metadata: { resourceVersion, continue: continueToken }, items };
}

export function widget(name: string, resourceVersion: string, extra: Partial<KubeObject> & Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "example.dev/v1", kind: "Widget", ...extra, metadata: { namespace: "ns", name, resourceVersion, ...extra.metadata } };
}

/** Lets the code under test run until `condition` holds; fails at the (real-time) deadline instead of hanging. */
export async function waitUntil(condition: () => boolean, what: string, deadlineMs = 2000): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting until ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
