import { Gauge } from "prom-client";
import { isConflict, isNotFound, type ResourceClient } from "../client/index.ts";
import { log } from "../logging.ts";
import { registry } from "../metrics.ts";
import { realClock, sleep, type Clock } from "../queue/index.ts";
import { decideLease, nextSpec, releasedSpec } from "./lease-decision.ts";
import { microTime, type Lease } from "./lease-record.ts";

export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  identity: string;
  /** controller-runtime's defaults: 15 s lease, 10 s renew deadline, 2 s retry. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Give the lease up on shutdown so a successor takes over at once. */
  releaseOnCancel?: boolean;
}

const masterStatus = new Gauge({
  name: "leader_election_master_status",
  help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
  labelNames: ["name"] as const,
  registers: [registry],
});

/**
 * Lease-based leader election as client-go's LeaderElector: acquire, then
 * renew every retry period; a renewal that does not succeed within the renew
 * deadline loses leadership.
 */
export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { spec: string; at: number } = { spec: "", at: 0 };
  private leading = false;

  constructor(
    private readonly client: ResourceClient<Lease>,
    private readonly config: LeaderElectionConfig,
    private readonly clock: Clock = realClock,
  ) {
    this.leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    masterStatus.set({ name: config.name }, 0);
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns until leading, then keeps the lease until `signal` aborts
   * (returns normally, releasing the lease) or a renewal fails (returns
   * "lost"). `onStartedLeading` runs once the lease is ours.
   */
  async run(signal: AbortSignal, onStartedLeading: () => void): Promise<"stopped" | "lost"> {
    const logger = log.child({ lease: `${this.config.namespace}/${this.config.name}`, identity: this.config.identity });
    logger.info("attempting to acquire leader lease");
    while (!signal.aborted && !(await this.tryAcquireOrRenew())) {
      await sleep(this.clock, this.retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
    if (signal.aborted) return "stopped";
    this.setLeading(true);
    logger.info("successfully acquired lease");
    onStartedLeading();
    while (!signal.aborted) {
      await sleep(this.clock, this.retryPeriodMs, signal);
      if (signal.aborted) break;
      if (!(await this.renewWithinDeadline(signal))) {
        this.setLeading(false);
        logger.error("failed to renew lease within the renew deadline: leader election lost");
        return "lost";
      }
    }
    if (this.config.releaseOnCancel !== false) await this.release();
    this.setLeading(false);
    return "stopped";
  }

  private async renewWithinDeadline(signal: AbortSignal): Promise<boolean> {
    const deadline = this.clock.now() + this.renewDeadlineMs;
    for (;;) {
      if (await this.tryAcquireOrRenew()) return true;
      if (signal.aborted) return true; // shutting down: release, not "lost"
      if (this.clock.now() + this.retryPeriodMs > deadline) return false;
      await sleep(this.clock, this.retryPeriodMs, signal);
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.config;
    try {
      const lease = await this.read();
      const decision = decideLease({ lease, observedAt: this.observed.at, now: this.clock.now(), identity });
      if (decision.action === "wait") return false;
      const spec = nextSpec(lease, decision, identity, this.leaseDurationMs / 1000, microTime(Date.now()));
      const written = lease
        ? await this.client.update({ ...lease, spec })
        : await this.client.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace }, spec });
      this.observe(written);
      return true;
    } catch (err) {
      // A conflict means another candidate wrote first: not an error, just not ours.
      if (!isConflict(err)) log.warn({ err, lease: `${namespace}/${name}` }, "error acquiring or renewing lease");
      return false;
    }
  }

  private async read(): Promise<Lease | undefined> {
    try {
      const lease = await this.client.get({ namespace: this.config.namespace, name: this.config.name });
      this.observe(lease);
      return lease;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Remembers when the record last changed, by our clock. */
  private observe(lease: Lease): void {
    const spec = JSON.stringify(lease.spec ?? {});
    if (spec !== this.observed.spec) this.observed = { spec, at: this.clock.now() };
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity !== this.config.identity) return;
      await this.client.update({ ...lease, spec: releasedSpec(lease, microTime(Date.now())) });
    } catch (err) {
      log.warn({ err }, "failed to release the leader lease");
    }
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    masterStatus.set({ name: this.config.name }, leading ? 1 : 0);
  }
}
