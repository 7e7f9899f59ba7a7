// A full, consistent list through pages of `pageSize`, as client-go's pager:
// every page belongs to the snapshot of the first one; if the continue token
// expires mid-way (410), the snapshot is gone, so start again unpaginated.
import { isGone } from "../client/api-error.ts";
import { isRecord } from "../client/types.ts";
import type { ListPage, ListPageOptions } from "./transport.ts";

export interface FullList {
  items: unknown[];
  resourceVersion: string;
}

export type ListPageFn = (options: ListPageOptions) => Promise<ListPage>;

export async function listAllPages(listPage: ListPageFn, pageSize: number): Promise<FullList> {
  const items: unknown[] = [];
  let continueToken: string | undefined;
  for (;;) {
    let page: ListPage;
    try {
      page = await listPage({ limit: pageSize > 0 ? pageSize : undefined, continue: continueToken });
    } catch (err) {
      if (continueToken !== undefined && isGone(err)) return listAllPages(listPage, 0);
      throw err;
    }
    const kind = page.kind?.endsWith("List") ? page.kind.slice(0, -"List".length) : undefined;
    for (const item of page.items) items.push(withTypeMeta(item, page.apiVersion, kind));
    continueToken = page.metadata?.continue || undefined;
    if (continueToken === undefined) {
      const resourceVersion = page.metadata?.resourceVersion;
      if (!resourceVersion) throw new Error("the list has no metadata.resourceVersion to watch from");
      return { items, resourceVersion };
    }
  }
}

// Built-in kinds' list items come without apiVersion and kind; handlers and
// owner references need them, so take them from the list.
function withTypeMeta(item: unknown, apiVersion: string | undefined, kind: string | undefined): unknown {
  if (!isRecord(item) || !apiVersion || !kind || (item.apiVersion !== undefined && item.kind !== undefined)) return item;
  return { apiVersion, kind, ...item };
}
