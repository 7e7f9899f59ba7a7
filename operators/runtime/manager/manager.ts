import { hostname } from "node:os";
import type { Server } from "node:http";
import type { KubeConfig } from "@kubernetes/client-node";
import { loadKubeConfig, ResourceClient, RestClient, type KubeObject, type RateLimit, type ResourceRef } from "../client/index.ts";
import { ControllerBuilder, type ControllerHost } from "../controller/builder.ts";
import type { Controller } from "../controller/controller.ts";
import { eventResource, type CoreEvent } from "../events/event.ts";
import { EventRecorder } from "../events/recorder.ts";
import { HealthProbes } from "../health.ts";
import type { Informer } from "../informer/informer.ts";
import type { ReflectorTuning } from "../informer/reflector.ts";
import type { InformerSpec } from "../informer/rest-transport.ts";
import { SharedInformerFactory } from "../informer/shared-informer-factory.ts";
import { LeaderElector } from "../leader/leader-elector.ts";
import { leaseResource, type Lease } from "../leader/lease-record.ts";
import { log } from "../logging.ts";
import { serveMetrics } from "../metrics-server.ts";

export interface ManagerOptions {
  kubeconfig?: string | KubeConfig;
  /** Names the component in events and, by default, the leader lease. */
  name: string;
  /** A Lease to campaign for before controllers start; false runs them at once. */
  leaderElection?: { namespace: string; name?: string; identity?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number } | false;
  /** "host:port", ":port", or "0" to disable. */
  metricsBindAddress?: string;
  healthProbeBindAddress?: string;
  /** How long shutdown may take before the process gives up waiting (controller-runtime: 30 s). */
  gracefulShutdownMs?: number;
  reflector?: ReflectorTuning;
  /** Client-side QPS/burst for every request of the process (kube-controller-manager's --kube-api-qps/--kube-api-burst); none by default. */
  clientRateLimit?: RateLimit;
}

/** Something the manager starts and stops with itself, e.g. a webhook or extender server. */
export interface Runnable {
  name: string;
  /** Runs until `signal` aborts; resolves when stopped. */
  start(signal: AbortSignal): Promise<void>;
  /** Only the leader runs it (controllers do; servers that read caches need not). */
  needLeaderElection: boolean;
}

export class LeaderElectionLostError extends Error {
  constructor() {
    super("leader election lost");
  }
}

/**
 * Owns everything a set of controllers shares, as controller-runtime's
 * manager: the client, one informer per resource, the event recorder, health
 * and metrics endpoints, leader election and an orderly shutdown.
 */
export class Manager implements ControllerHost {
  readonly kubeConfig: KubeConfig;
  readonly rest: RestClient;
  readonly probes = new HealthProbes();
  private readonly informers: SharedInformerFactory;
  private readonly controllers: Controller[] = [];
  private readonly runnables: Runnable[] = [];
  private readonly recorders = new Map<string, EventRecorder>();
  private elector: LeaderElector | undefined;

  constructor(private readonly options: ManagerOptions) {
    this.kubeConfig = typeof options.kubeconfig === "object" ? options.kubeconfig : loadKubeConfig(options.kubeconfig);
    this.rest = new RestClient(this.kubeConfig, options.name, { rateLimit: options.clientRateLimit });
    this.informers = SharedInformerFactory.forRestClient(this.rest, options.reflector);
    this.probes.addHealthzCheck("ping", () => undefined);
    this.probes.addReadyzCheck("informers", () => (this.informers.hasSynced() ? undefined : "caches not synced"));
  }

  client<T extends KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, ref);
  }

  informerFor<T extends KubeObject>(spec: InformerSpec): Informer<T> {
    return this.informers.informerFor<T>(spec);
  }

  /** One recorder per component name, so event correlation spans the whole process. */
  recorder(component = this.options.name): EventRecorder {
    let r = this.recorders.get(component);
    if (!r) {
      r = new EventRecorder(this.client<CoreEvent>(eventResource), component);
      this.recorders.set(component, r);
    }
    return r;
  }

  controller(name: string): ControllerBuilder {
    return new ControllerBuilder(this, name);
  }

  addController(controller: Controller): void {
    if (this.controllers.some((c) => c.name === controller.name)) throw new Error(`a controller named ${controller.name} already exists`);
    this.controllers.push(controller);
  }

  add(runnable: Runnable): void {
    this.runnables.push(runnable);
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  /**
   * Runs until `signal` aborts, then shuts down in order. Rejects with
   * LeaderElectionLostError if the lease is lost (the process should exit, as
   * controller-runtime's managers do, and restart as a candidate).
   */
  async start(signal: AbortSignal): Promise<void> {
    const servers: Server[] = [];
    const { metricsBindAddress = ":8080", healthProbeBindAddress = ":8081" } = this.options;
    if (metricsBindAddress !== "0") servers.push(await serveMetrics(metricsBindAddress));
    if (healthProbeBindAddress !== "0") servers.push(await this.probes.listen(healthProbeBindAddress));

    // Caches warm on every replica, so a standby that wins the lease starts at once.
    this.informers.start();
    const stopped = new AbortController();
    const running: Promise<void>[] = this.runnables.filter((r) => !r.needLeaderElection).map((r) => r.start(stopped.signal));
    const startLeading = () => {
      running.push(this.startLeaderWork(stopped.signal));
    };

    // The lease is released only after the controllers stopped, so a successor
    // never overlaps with our last reconciles.
    const election = new AbortController();
    let campaign: Promise<"stopped" | "lost"> = Promise.resolve("stopped");
    const le = this.options.leaderElection;
    if (le) {
      const identity = le.identity ?? `${hostname()}_${process.pid}`;
      this.elector = new LeaderElector(this.client<Lease>(leaseResource), { ...le, name: le.name ?? this.options.name, identity });
      campaign = this.elector.run(election.signal, startLeading);
    } else {
      startLeading();
    }
    const aborted = new Promise<"stopped">((resolve) => (signal.aborted ? resolve("stopped") : signal.addEventListener("abort", () => resolve("stopped"), { once: true })));
    const lost = (await Promise.race([aborted, campaign.then((r) => (r === "lost" ? r : aborted))])) === "lost";

    await this.shutdown(stopped, running, async () => {
      election.abort();
      await campaign;
    });
    for (const s of servers) s.close();
    // Kept-alive connections to the API server would otherwise hold the event loop open.
    this.rest.close();
    if (lost) throw new LeaderElectionLostError();
  }

  private async startLeaderWork(signal: AbortSignal): Promise<void> {
    if (!(await this.informers.waitForSync(signal))) return;
    log.info({ controllers: this.controllers.map((c) => c.name) }, "caches synced; starting controllers");
    for (const c of this.controllers) c.start(signal);
    await Promise.all(this.runnables.filter((r) => r.needLeaderElection).map((r) => r.start(signal)));
  }

  private async shutdown(stopped: AbortController, running: Promise<void>[], releaseLease: () => Promise<void>): Promise<void> {
    const graceMs = this.options.gracefulShutdownMs ?? 30_000;
    const orderly = (async () => {
      stopped.abort();
      await Promise.all(this.controllers.map((c) => c.stop()));
      await Promise.all(running);
      await releaseLease();
      await Promise.all([...this.recorders.values()].map((r) => r.flush()));
      await this.informers.stop();
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
    if ((await Promise.race([orderly.then(() => "done" as const), timedOut])) === "timeout") {
      log.error({ graceMs }, "graceful shutdown timed out; stopping anyway");
    }
    clearTimeout(timer);
  }
}
