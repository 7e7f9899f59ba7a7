// The HTTP layer. client-node supplies kubeconfig, TLS and auth (including
// exec plugins and token refresh) through applyToFetchOptions, asked afresh
// for every request so a refreshed token is used at once; the connections
// are ours, kept alive in an AgentPool (client-node opens a new TCP and TLS
// connection per request). The request is ours too, so every Content-Type
// is what we say (client-node 1.x's generated patch methods send json-patch
// for any body) and a watch yields every line, parsable or not
// (client-node's Watch drops bad lines silently).
import http from "node:http";
import type { ClientRequest, IncomingMessage } from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { restClientRequests } from "../metrics.ts";
import { AgentPool } from "./agent-pool.ts";
import type { AgentPoolOptions, Purpose, TlsMaterial } from "./agent-pool.ts";
import { TokenBucket, type RateLimit } from "./rate-limiter.ts";
import { ApiError } from "./api-error.ts";
import { LineSplitter } from "./line-splitter.ts";
import { requestUrl } from "./paths.ts";
import type { Query } from "./paths.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestSpec {
  method: HttpMethod;
  /** Absolute API path, e.g. /apis/apps/v1/namespaces/ns/deployments. */
  path: string;
  query?: Query;
  /** Sent as JSON text, which is also valid for application/apply-patch+yaml. */
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  signal?: AbortSignal;
}

type FetchInit = Awaited<ReturnType<KubeConfig["applyToFetchOptions"]>>;

export interface RestClientOptions extends AgentPoolOptions {
  /** Client-side rate limit for every request, watches included (client-go's QPS and Burst); none by default. */
  rateLimit?: RateLimit;
}

export class RestClient {
  private readonly server: URL;
  private readonly proxied: boolean;
  private readonly agents: AgentPool;
  private readonly limiter: TokenBucket | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly userAgent = "mirrorkube",
    options: RestClientOptions = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig has no current cluster");
    this.server = new URL(cluster.server);
    this.proxied = !!cluster.proxyUrl;
    const { rateLimit, ...pool } = options;
    this.agents = new AgentPool(pool);
    this.limiter = rateLimit && new TokenBucket(rateLimit);
  }

  /** Sends one request; resolves the parsed JSON body (undefined when empty) or throws ApiError for a status ≥ 400. */
  async request(spec: RequestSpec): Promise<unknown> {
    const res = await this.open(spec, "request");
    const body = await readText(res);
    const code = res.statusCode ?? 0;
    if (code >= 400) throw ApiError.fromResponse(code, body);
    if (body === "") return undefined;
    try {
      return JSON.parse(body);
    } catch {
      throw new Error(`${spec.method} ${spec.path}: HTTP ${code} with a body that is not JSON: ${body.slice(0, 200)}`);
    }
  }

  /**
   * Sends a long-running request (a watch) and yields its body line by line,
   * raw: parsing, and counting what does not parse, is the caller's job.
   * Ends when the server closes; throws when the connection fails or `signal` aborts.
   */
  async *stream(spec: RequestSpec): AsyncGenerator<string, void, undefined> {
    const res = await this.open(spec, "watch");
    const code = res.statusCode ?? 0;
    if (code >= 400) throw ApiError.fromResponse(code, await readText(res));
    res.setEncoding("utf8");
    const lines = new LineSplitter();
    try {
      for await (const chunk of res as AsyncIterable<string>) yield* lines.push(chunk);
      const rest = lines.end();
      if (rest !== undefined) yield rest;
    } finally {
      // After a complete response this leaves the connection to the pool; mid-stream it closes it.
      res.destroy();
    }
  }

  /** Closes every pooled connection, watches included. Further requests open new ones. */
  close(): void {
    this.agents.destroy();
  }

  private async open(spec: RequestSpec, purpose: Purpose): Promise<IncomingMessage> {
    const url = requestUrl(this.server, spec.path, spec.query);
    const count = (code: string) => restClientRequests.inc({ code, method: spec.method, host: url.host });
    await this.limiter?.take();
    for (let attempt = 0; ; attempt++) {
      try {
        const tls: https.RequestOptions = {};
        const init = await this.kc.applyToFetchOptions(tls);
        const res = await send(url, spec, this.requestHeaders(init, spec), this.agentFor(init, tls, url, purpose));
        count(String(res.statusCode ?? 0));
        return res;
      } catch (err) {
        count("<error>");
        // The server may close an idle connection just as we reuse it; like
        // Go's net/http, retry once on a new one, for GETs only: a write may
        // have reached the server before the connection broke.
        if (attempt === 0 && err instanceof StaleConnectionError && spec.method === "GET") continue;
        throw err instanceof StaleConnectionError ? err.cause : err;
      }
    }
  }

  private agentFor(init: FetchInit, tls: TlsMaterial, url: URL, purpose: Purpose): http.Agent | undefined {
    // A proxy agent comes from client-node; it is used as given, unpooled.
    if (this.proxied) return clientNodeAgent(init, url);
    return this.agents.agentFor(url.protocol, tls, purpose);
  }

  private requestHeaders(init: FetchInit, spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = { ...headerRecord(init.headers), Accept: "application/json", "User-Agent": this.userAgent };
    if (spec.body !== undefined) headers["Content-Type"] = spec.contentType ?? "application/json";
    return headers;
  }
}

/** A request that failed on a reused keep-alive connection before any response arrived. */
class StaleConnectionError extends Error {
  constructor(override readonly cause: unknown) {
    super("the reused connection was closed", { cause });
  }
}

function send(url: URL, spec: RequestSpec, headers: Record<string, string>, agent: http.Agent | undefined): Promise<IncomingMessage> {
  const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
  if (payload) headers["Content-Length"] = String(payload.length);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: spec.method, headers, agent, signal: spec.signal }, resolve);
    req.on("error", (err) => reject(isStale(req, err) ? new StaleConnectionError(err) : err));
    req.end(payload);
  });
}

function isStale(req: ClientRequest, err: NodeJS.ErrnoException): boolean {
  return req.reusedSocket && (err.code === "ECONNRESET" || err.code === "EPIPE");
}

function clientNodeAgent(init: FetchInit, url: URL): http.Agent | undefined {
  const agent = typeof init.agent === "function" ? init.agent(url) : init.agent;
  return agent instanceof http.Agent ? agent : undefined;
}

// client-node returns a WHATWG Headers object typed as node-fetch's HeadersInit.
function headerRecord(init: FetchInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  const entries: Iterable<readonly string[]> = Symbol.iterator in init ? (init as Iterable<string[]>) : Object.entries(init).map(([k, v]) => [k, String(v)]);
  for (const [key, value] of entries) {
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
}

async function readText(res: IncomingMessage): Promise<string> {
  res.setEncoding("utf8");
  let text = "";
  for await (const chunk of res as AsyncIterable<string>) text += chunk;
  return text;
}
