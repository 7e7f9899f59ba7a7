// What the reflector needs from the API: one list page, and a watch as raw
// lines. An interface so tests drive the reflector with a scripted fake;
// rest-transport.ts is the real one.
import type { ListMeta } from "../client/types.ts";

export interface ListPageOptions {
  limit?: number;
  continue?: string;
}

export interface ListPage {
  apiVersion?: string;
  kind?: string;
  metadata?: ListMeta;
  /** Unchecked: the reflector validates each item. */
  items: unknown[];
}

export interface WatchStreamOptions {
  resourceVersion: string;
  timeoutSeconds: number;
  allowWatchBookmarks: boolean;
}

export interface ListWatchTransport {
  list(options: ListPageOptions, signal: AbortSignal): Promise<ListPage>;
  /** Raw lines, one JSON watch event each; ends when the server closes the watch, throws on failure or abort. */
  watch(options: WatchStreamOptions, signal: AbortSignal): AsyncIterable<string>;
}
