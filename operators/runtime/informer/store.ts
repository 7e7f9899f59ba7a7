// The informer's cache: objects by key, plus secondary indexes maintained on
// every write so controllers look objects up without scanning.
import type { KubeObject } from "../client/types.ts";
import { CONTROLLER_OWNER_INDEX, controllerOwnerIndex, NAMESPACE_INDEX, namespaceIndex, objectKey } from "./indexers.ts";
import type { IndexFunc } from "./indexers.ts";

/** What controllers get: reads only; the reflector is the only writer. */
export interface ReadonlyStore<T> {
  get(key: string): T | undefined;
  list(): T[];
  keys(): string[];
  /** Objects whose index function returns `value` under `indexName`; throws for an unknown index. */
  byIndex(indexName: string, value: string): T[];
  readonly size: number;
}

interface Index<T> {
  fn: IndexFunc<T>;
  keysByValue: Map<string, Set<string>>;
}

export class Store<T extends KubeObject> implements ReadonlyStore<T> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();

  constructor() {
    this.addIndexer(NAMESPACE_INDEX, namespaceIndex);
    this.addIndexer(CONTROLLER_OWNER_INDEX, controllerOwnerIndex);
  }

  /**
   * Adds an index, built at once over the objects already cached. Registering
   * the same function again under its name is a no-op (controllers sharing an
   * informer may each ask for it); a different function under a taken name throws.
   */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    const existing = this.indexes.get(name);
    if (existing) {
      if (existing.fn === fn) return;
      throw new Error(`an index named ${name} already exists with another function`);
    }
    const index: Index<T> = { fn, keysByValue: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) addToIndex(index, key, obj);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indexes.get(indexName);
    if (!index) throw new Error(`no index named ${indexName}`);
    const keys = index.keysByValue.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.items.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** Inserts or replaces; returns the object it replaced. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) for (const index of this.indexes.values()) removeFromIndex(index, key, old);
    this.items.set(key, obj);
    for (const index of this.indexes.values()) addToIndex(index, key, obj);
    return old;
  }

  /** Removes by key; returns the object removed. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    for (const index of this.indexes.values()) removeFromIndex(index, key, old);
    this.items.delete(key);
    return old;
  }
}

function addToIndex<T>(index: Index<T>, key: string, obj: T): void {
  for (const value of index.fn(obj)) {
    let keys = index.keysByValue.get(value);
    if (!keys) index.keysByValue.set(value, (keys = new Set()));
    keys.add(key);
  }
}

function removeFromIndex<T>(index: Index<T>, key: string, obj: T): void {
  for (const value of index.fn(obj)) {
    const keys = index.keysByValue.get(value);
    keys?.delete(key);
    if (keys?.size === 0) index.keysByValue.delete(value);
  }
}
