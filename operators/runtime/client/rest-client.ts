// The HTTP layer. client-node supplies kubeconfig, TLS and auth (including
// exec plugins and token refresh) through applyToFetchOptions; the request
// itself is ours, so every Content-Type is what we say (client-node 1.x's
// generated patch methods send json-patch for any body) and a watch yields
// every line, parsable or not (client-node's Watch drops bad lines silently).
import http from "node:http";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { restClientRequests } from "../metrics.ts";
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

export class RestClient {
  private readonly server: URL;

  constructor(
    private readonly kc: KubeConfig,
    private readonly userAgent = "mirrorkube",
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig has no current cluster");
    this.server = new URL(cluster.server);
  }

  /** Sends one request; resolves the parsed JSON body (undefined when empty) or throws ApiError for a status ≥ 400. */
  async request(spec: RequestSpec): Promise<unknown> {
    const res = await this.open(spec);
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
    const res = await this.open(spec);
    const code = res.statusCode ?? 0;
    if (code >= 400) throw ApiError.fromResponse(code, await readText(res));
    res.setEncoding("utf8");
    const lines = new LineSplitter();
    try {
      for await (const chunk of res as AsyncIterable<string>) yield* lines.push(chunk);
      const rest = lines.end();
      if (rest !== undefined) yield rest;
    } finally {
      res.destroy();
    }
  }

  private async open(spec: RequestSpec): Promise<IncomingMessage> {
    const url = requestUrl(this.server, spec.path, spec.query);
    const count = (code: string) => restClientRequests.inc({ code, method: spec.method, host: url.host });
    try {
      const init = await this.kc.applyToFetchOptions({});
      const res = await send(url, spec, this.requestHeaders(init, spec), agentFor(init, url));
      count(String(res.statusCode ?? 0));
      return res;
    } catch (err) {
      count("<error>");
      throw err;
    }
  }

  private requestHeaders(init: FetchInit, spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = { ...headerRecord(init.headers), Accept: "application/json", "User-Agent": this.userAgent };
    if (spec.body !== undefined) headers["Content-Type"] = spec.contentType ?? "application/json";
    return headers;
  }
}

function send(url: URL, spec: RequestSpec, headers: Record<string, string>, agent: http.Agent | undefined): Promise<IncomingMessage> {
  const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
  if (payload) headers["Content-Length"] = String(payload.length);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: spec.method, headers, agent, signal: spec.signal }, resolve);
    req.on("error", reject);
    req.end(payload);
  });
}

// The agent carries the cluster's CA, client certificate and proxy settings.
function agentFor(init: FetchInit, url: URL): http.Agent | undefined {
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
