// Keep-alive connection pools for the REST client. client-node 1.4 builds a
// fresh Agent (keep-alive off) for every request, so each request paid a TCP
// connect and a TLS handshake; here one agent per purpose is kept for as
// long as the credentials it was built from stay the same.
//
// Two purposes, two agents: watches hold a connection for minutes, so if
// they shared a bounded pool with ordinary requests, enough informers would
// take every socket and leave reconciles queued behind them.
import http from "node:http";
import https from "node:https";

/** The TLS parts of client-node's HTTPS options that select the connection (auth headers do not). */
export interface TlsMaterial {
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer | (string | Buffer)[];
  key?: unknown;
  pfx?: unknown;
  passphrase?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export type Purpose = "request" | "watch";

export interface AgentPoolOptions {
  /** Concurrent connections for ordinary requests; more wait in the agent's queue. */
  maxSockets?: number;
  /** Idle connections kept for reuse. */
  maxFreeSockets?: number;
  /**
   * An idle connection is closed after this long. Below kube-apiserver's
   * 90 s idle timeout, so we close first and seldom send on a socket the
   * server is closing.
   */
  idleTimeoutMs?: number;
}

/** client-go keeps 25 idle connections per host; a few more may be in flight. */
export const defaultAgentPoolOptions: Required<AgentPoolOptions> = { maxSockets: 32, maxFreeSockets: 25, idleTimeoutMs: 45_000 };

interface Pooled {
  protocol: string;
  tls: TlsMaterial;
  agent: http.Agent;
}

export class AgentPool {
  private readonly options: Required<AgentPoolOptions>;
  private readonly current = new Map<Purpose, Pooled>();

  constructor(options: AgentPoolOptions = {}) {
    this.options = { ...defaultAgentPoolOptions, ...options };
  }

  /**
   * The agent for `purpose` under these credentials. New credentials (a
   * rotated client certificate, e.g. from an exec plugin) get a new agent;
   * the old one lets its in-flight requests finish and keeps no socket.
   */
  agentFor(protocol: string, tls: TlsMaterial, purpose: Purpose): http.Agent {
    const pooled = this.current.get(purpose);
    if (pooled && pooled.protocol === protocol && sameTls(pooled.tls, tls)) return pooled.agent;
    if (pooled) retire(pooled.agent);
    const agent = this.build(protocol, tls, purpose);
    this.current.set(purpose, { protocol, tls, agent });
    return agent;
  }

  /** Closes every connection, in flight or idle. */
  destroy(): void {
    for (const { agent } of this.current.values()) agent.destroy();
    this.current.clear();
  }

  private build(protocol: string, tls: TlsMaterial, purpose: Purpose): http.Agent {
    const { maxSockets, maxFreeSockets, idleTimeoutMs } = this.options;
    // The agent's timeout only closes idle sockets (Node emits 'timeout' on a
    // busy one, which nothing here acts on): a silent watch is the reflector's
    // watchdog's business.
    const base: http.AgentOptions = {
      keepAlive: true,
      timeout: idleTimeoutMs,
      maxSockets: purpose === "watch" ? Infinity : maxSockets,
      maxFreeSockets,
    };
    if (protocol === "http:") return new http.Agent(base);
    return new https.Agent({ ...base, ...definedTls(tls) } as https.AgentOptions);
  }
}

/** An agent no longer handed out: sockets in use finish their request, then close. */
function retire(agent: http.Agent): void {
  agent.keepSocketAlive = () => false;
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}

const tlsFields = ["ca", "cert", "key", "pfx", "passphrase", "rejectUnauthorized", "servername"] as const satisfies readonly (keyof TlsMaterial)[];

function definedTls(tls: TlsMaterial): TlsMaterial {
  const out: Record<string, unknown> = {};
  for (const field of tlsFields) if (tls[field] !== undefined) out[field] = tls[field];
  return out as TlsMaterial;
}

/** client-node reads certificates afresh for each request, so equal content arrives as new Buffers. */
export function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  return tlsFields.every((field) => sameValue(a[field], b[field]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
