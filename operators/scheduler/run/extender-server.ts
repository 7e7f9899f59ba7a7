import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenOn } from "../../runtime/health.ts";
import { readBody } from "../../runtime/http-body.ts";
import { log } from "../../runtime/logging.ts";
import type { Runnable } from "../../runtime/manager/manager.ts";
import type { SchedulerCache } from "../cache/cache.ts";
import { extenderFilter, extenderPrioritize } from "../framework/extender.ts";
import type { PodLike } from "../framework/objects.ts";
import type { Profile } from "../framework/profile.ts";
import { extenderDuration, extenderRequests, initExtenderMetrics } from "./metrics.ts";

/** extenderv1.ExtenderArgs: PascalCase on the wire (the Go types have no JSON tags; Go decodes case-insensitively). */
interface ExtenderArgs {
  Pod?: PodLike;
  Nodes?: { items?: { metadata?: { name?: string } }[] } | null;
  NodeNames?: string[] | null;
}

const maxBodyBytes = 64 * 1024 * 1024;

/**
 * The kube-scheduler extender: POST <prefix>/filter and <prefix>/prioritize,
 * answered from the same node cache and plugins as mirrorkube's scheduler,
 * so Pods kube-scheduler places respect capacity that bound mirror Pods hold.
 * It runs on every replica (it only reads caches).
 */
export class ExtenderServer implements Runnable {
  readonly name = "scheduler-extender";
  readonly needLeaderElection = false;

  constructor(
    private readonly address: string,
    private readonly prefix: string,
    private readonly cache: SchedulerCache,
    private readonly profile: Profile,
  ) {}

  async start(signal: AbortSignal): Promise<void> {
    initExtenderMetrics();
    const server = createServer((req, res) => void this.handle(req, res));
    await listenOn(server, this.address);
    log.info({ address: this.address, prefix: this.prefix }, "scheduler extender listening");
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    await close(server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verb = req.url?.startsWith(`${this.prefix}/`) ? req.url.slice(this.prefix.length + 1).split("?")[0] : undefined;
    if (req.method !== "POST" || (verb !== "filter" && verb !== "prioritize")) {
      return reply(res, "unknown", 404, { Error: `no such extender verb: ${req.method} ${req.url}` });
    }
    const end = extenderDuration.startTimer({ verb });
    try {
      const args = JSON.parse(await readBody(req, maxBodyBytes)) as ExtenderArgs;
      if (!args.Pod) return reply(res, verb, 400, { Error: "ExtenderArgs.Pod is missing" });
      const names = args.NodeNames ?? args.Nodes?.items?.map((n) => n.metadata?.name ?? "").filter(Boolean) ?? [];
      const snapshot = this.cache.snapshot();
      if (verb === "prioritize") return reply(res, verb, 200, extenderPrioritize(args.Pod, names, snapshot, this.profile));
      const result = extenderFilter(args.Pod, names, snapshot, this.profile);
      // A non-nodeCacheCapable caller reads back Nodes, not NodeNames.
      const nodes = args.Nodes?.items ? { ...args.Nodes, items: args.Nodes.items.filter((n) => result.NodeNames.includes(n.metadata?.name ?? "")) } : null;
      reply(res, verb, 200, { ...result, Nodes: nodes });
    } catch (err) {
      log.warn({ err, verb }, "bad extender request");
      reply(res, verb, 400, { Error: `bad extender request: ${(err as Error).message}` });
    } finally {
      end();
    }
  }
}

function reply(res: ServerResponse, verb: string, code: number, body: unknown): void {
  extenderRequests.inc({ verb, code: String(code) });
  res.writeHead(code, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
