import { createServer, type Server } from "node:http";
import type { Server as NetServer } from "node:net";

/** A named check; it throws or returns an error message when unhealthy. */
export type Check = () => Promise<string | undefined> | string | undefined;

/**
 * /healthz and /readyz as controller-runtime serves them: 200 "ok" when every
 * check passes, 500 naming the failed checks otherwise; `?verbose` lists each.
 */
export class HealthProbes {
  private readonly healthz = new Map<string, Check>();
  private readonly readyz = new Map<string, Check>();

  addHealthzCheck(name: string, check: Check): void {
    this.healthz.set(name, check);
  }

  addReadyzCheck(name: string, check: Check): void {
    this.readyz.set(name, check);
  }

  listen(address: string): Promise<Server> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://probe");
      const checks = url.pathname === "/healthz" ? this.healthz : url.pathname === "/readyz" ? this.readyz : undefined;
      if (!checks) {
        res.writeHead(404).end("not found\n");
        return;
      }
      void evaluate(checks).then(({ ok, lines }) => {
        res.writeHead(ok ? 200 : 500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(url.searchParams.has("verbose") || !ok ? `${lines.join("\n")}\n${url.pathname.slice(1)} ${ok ? "check passed" : "check failed"}\n` : "ok");
      });
    });
    return listenOn(server, address);
  }
}

async function evaluate(checks: Map<string, Check>): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const [name, check] of checks) {
    let problem: string | undefined;
    try {
      problem = await check();
    } catch (err) {
      problem = (err as Error).message;
    }
    if (problem === undefined) lines.push(`[+]${name} ok`);
    else {
      ok = false;
      lines.push(`[-]${name} failed: ${problem}`);
    }
  }
  return { ok, lines };
}

/** Listens on "host:port" or ":port" (all interfaces), as controller-runtime's bind-address flags take. */
export function listenOn<S extends NetServer>(server: S, address: string): Promise<S> {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i) || undefined;
  const port = Number(address.slice(i + 1));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
