import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readlinkSync } from "node:fs";

export interface RunningProcess {
  name: string;
  pid: number;
  /** The executable, to tell our process from an unrelated one that reused the pid. */
  exe: string;
  log: string;
}

/** Starts a component detached from this process (it outlives `cluster:up`), logging to a file. */
export function startProcess(name: string, exe: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): RunningProcess {
  const fd = openSync(log, "a");
  try {
    const child = spawn(exe, args, { detached: true, stdio: ["ignore", fd, fd], env });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${exe})`);
    child.unref();
    return { name, pid: child.pid, exe, log };
  } finally {
    closeSync(fd);
  }
}

export function isRunning(proc: RunningProcess): boolean {
  try {
    process.kill(proc.pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie (exited, not yet reaped) still answers kill 0.
    const stat = readFileSync(`/proc/${proc.pid}/stat`, "utf8");
    if (/\) Z /.test(stat)) return false;
    return readlinkSync(`/proc/${proc.pid}/exe`).replace(/ \(deleted\)$/, "") === proc.exe;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after the grace period. Resolves once the process is gone. */
export async function stopProcess(proc: RunningProcess, graceMs = 10_000): Promise<void> {
  if (!isRunning(proc)) return;
  signal(proc.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isRunning(proc) && Date.now() < deadline) await delay(100);
  if (isRunning(proc)) {
    signal(proc.pid, "SIGKILL");
    while (isRunning(proc)) await delay(50);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function logTail(log: string, lines = 25): string {
  try {
    return readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
