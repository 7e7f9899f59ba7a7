import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ClusterError } from "./errors.ts";
import { delay, isRunning, logTail, type RunningProcess } from "./processes.ts";

export interface Tls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** The admin client certificate written by `localkube certs`. */
export function adminTls(pkiDir: string): Tls {
  const read = (f: string) => readFileSync(join(pkiDir, f));
  return { ca: read("ca.crt"), cert: read("admin.crt"), key: read("admin.key") };
}

/** GET a URL; resolves to the status and body, or undefined when nothing answers. */
export function httpGet(url: string, tls?: Tls, timeoutMs = 2000): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const secure = url.startsWith("https:");
    // Health endpoints of kube-controller-manager and kube-scheduler use self-signed serving certs.
    const opts = secure ? { ...tls, rejectUnauthorized: tls?.ca !== undefined, timeout: timeoutMs } : { timeout: timeoutMs };
    const req = (secure ? httpsRequest : httpRequest)(url, opts, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/**
 * Polls `ready` until it holds. Fails at once, with the tail of the log, if the
 * process exits; fails after the timeout otherwise.
 */
export async function waitReady(proc: RunningProcess, ready: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(proc)) throw componentFailed(proc, "exited during startup");
    if (await ready()) return;
    if (Date.now() > deadline) throw componentFailed(proc, `not ready after ${timeoutMs / 1000}s`);
    await delay(200);
  }
}

export function componentFailed(proc: RunningProcess, what: string): ClusterError {
  return new ClusterError(`${proc.name} ${what}. Last lines of ${proc.log}:\n${logTail(proc.log)}`);
}
