import type { KubeObject, ResourceRef } from "../client/index.ts";
import type { EventHandlers, Informer } from "../informer/informer.ts";
import type { InformerSpec } from "../informer/rest-transport.ts";
import { Controller } from "./controller.ts";
import { parseKey, requestKey, type Reconciler, type Request } from "./request.ts";

/** A resource and the kind of its objects (owner references name kinds, not plurals). */
export interface KindRef extends ResourceRef {
  kind: string;
}

export type Mapper<T> = (obj: T) => Request[];

/** What the builder needs of the manager: shared informers and a place to register. */
export interface ControllerHost {
  informerFor<T extends KubeObject>(spec: InformerSpec): Informer<T>;
  addController(controller: Controller): void;
}

export function apiVersionOf(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

export function requestFor(obj: KubeObject): Request {
  return { namespace: obj.metadata?.namespace ?? "", name: obj.metadata?.name ?? "" };
}

/** The controller owner of `obj` if it is of `owner`'s kind and group (any version). */
export function controllerOwnerRequest(obj: KubeObject, owner: KindRef): Request | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  if (!ref || ref.kind !== owner.kind) return undefined;
  const group = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
  if (group !== owner.group) return undefined;
  return { namespace: owner.namespaced ? (obj.metadata?.namespace ?? "") : "", name: ref.name };
}

/**
 * Fluent construction as controller-runtime's builder: For(kind) enqueues the
 * object itself, Owns(kind) enqueues the controller owner of an owned object,
 * Watches(kind, mapper) enqueues whatever the mapper returns.
 */
export class ControllerBuilder {
  private forKind: KindRef | undefined;
  private readonly watches: { spec: InformerSpec; mapper: Mapper<KubeObject> }[] = [];
  private workerCount = 1;

  constructor(
    private readonly host: ControllerHost,
    private readonly name: string,
  ) {}

  for(kind: KindRef): this {
    this.forKind = kind;
    this.watches.push({ spec: kind, mapper: (obj) => [requestFor(obj)] });
    return this;
  }

  owns(kind: ResourceRef): this {
    const owner = this.forKind;
    if (!owner) throw new Error(`controller ${this.name}: call for() before owns()`);
    this.watches.push({ spec: kind, mapper: (obj) => [controllerOwnerRequest(obj, owner)].filter((r): r is Request => r !== undefined) });
    return this;
  }

  watch<T extends KubeObject>(spec: InformerSpec, mapper: Mapper<T>): this {
    this.watches.push({ spec, mapper: mapper as Mapper<KubeObject> });
    return this;
  }

  withWorkers(n: number): this {
    this.workerCount = n;
    return this;
  }

  complete(reconciler: Reconciler): Controller {
    const controller = new Controller({ name: this.name, reconciler, workers: this.workerCount });
    for (const { spec, mapper } of this.watches) this.host.informerFor(spec).addEventHandler(enqueueMapped(controller, mapper));
    this.host.addController(controller);
    return controller;
  }
}

/**
 * Handlers that enqueue what `mapper` returns; on update the union of the old
 * and the new mapping (an owner may change), each request once: adding a key
 * twice could hand it to a worker and then mark it dirty, reconciling twice.
 */
function enqueueMapped(controller: Controller, mapper: Mapper<KubeObject>): EventHandlers<KubeObject> {
  const enqueue = (...objs: KubeObject[]) => {
    const keys = new Set(objs.flatMap((obj) => mapper(obj).map(requestKey)));
    for (const key of keys) controller.enqueue(parseKey(key));
  };
  return {
    add: (obj) => enqueue(obj),
    update: (oldObj, newObj) => enqueue(oldObj, newObj),
    delete: (obj) => enqueue(obj),
  };
}
