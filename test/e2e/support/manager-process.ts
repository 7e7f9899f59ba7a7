import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../../hack/cluster/ports.ts";
import { clusterDir, repoRoot } from "../../../hack/cluster/paths.ts";
import { eventually } from "./eventually.ts";

/** A manager (operators/main.ts) running as its own process, as in a real deployment. */
export interface ManagerProcess {
  child: ChildProcess;
  metricsPort: number;
  healthPort: number;
  log: string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  metrics(): Promise<string>;
}

/** The manager from its TypeScript sources, as `npm start` runs it. */
export const sourceEntry = ["--import", "tsx", join(repoRoot, "operators", "main.ts")];

/**
 * `env` adds to this process's environment (e.g. POD_NAMESPACE and POD_NAME,
 * as the downward API sets them in a Pod); `entry` is what node runs.
 */
export async function startManager(kubeconfig: string, args: string[], logName: string, env: Record<string, string> = {}, entry: string[] = sourceEntry): Promise<ManagerProcess> {
  const metricsPort = await freePort();
  const healthPort = await freePort();
  const logDir = join(clusterDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `${logName}.log`);
  const out = createWriteStream(log, { flags: "a" });
  const child = spawn(
    process.execPath,
    [...entry, `--kubeconfig=${kubeconfig}`, `--metrics-bind-address=127.0.0.1:${metricsPort}`, `--health-probe-bind-address=127.0.0.1:${healthPort}`, ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const proc: ManagerProcess = {
    child,
    metricsPort,
    healthPort,
    log,
    exited,
    metrics: async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
  };
  await eventually(async () => (await fetch(`http://127.0.0.1:${healthPort}/healthz`)).ok, { timeoutMs: 30_000, what: `manager ${logName} healthy (log ${log})` });
  return proc;
}

/** The value of one series in Prometheus text, e.g. metricValue(text, 'leader_election_master_status{name="x"}'). */
export function metricValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
