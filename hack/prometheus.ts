// A real Prometheus for the e2e suite: Debian's `prometheus` package (2.42,
// with promtool), installed with apt-get when missing. `npx tsx
// hack/prometheus.ts` does the same from a shell and prints where the
// binaries are (CI may run it before the tests; the tests call it anyway).
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
  /** What `prometheus --version` says on its first line. */
  version: string;
}

/** The binaries, or why there are none (a test skips with this reason). */
export type PrometheusAvailability = ({ ok: true } & PrometheusBinaries) | { ok: false; reason: string };

const searchPath = [...(process.env.PATH ?? "").split(":"), "/usr/bin", "/usr/local/bin"].filter(Boolean);

function which(cmd: string): string | undefined {
  for (const dir of searchPath) {
    const file = join(dir, cmd);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function found(): PrometheusAvailability | undefined {
  const prometheus = which("prometheus");
  const promtool = which("promtool");
  if (!prometheus || !promtool) return undefined;
  const version = spawnSync(prometheus, ["--version"], { encoding: "utf8" });
  return { ok: true, prometheus, promtool, version: `${version.stdout}${version.stderr}`.split("\n")[0] ?? "" };
}

function aptGet(args: string[], say: (line: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("apt-get", args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    let rest = "";
    const onData = (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) if (/^(Setting up prometheus|E:|Err:)/.test(line)) say(line.trim());
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", () => resolve(127));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/**
 * prometheus and promtool from PATH; when missing, installs Debian's package
 * (`--no-install-recommends`: no node exporter), refreshing the package lists
 * once if the first try fails. Needs root and apt-get, else says why not.
 */
export async function ensurePrometheus(say: (line: string) => void = () => undefined): Promise<PrometheusAvailability> {
  const present = found();
  if (present) return present;
  if (!which("apt-get")) return { ok: false, reason: "prometheus/promtool are not installed and apt-get is not available to install Debian's prometheus package" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "prometheus/promtool are not installed, and installing Debian's prometheus package with apt-get needs root" };
  say("installing Debian's prometheus package with apt-get (once per machine)");
  const install = ["install", "-y", "--no-install-recommends", "prometheus"];
  if ((await aptGet(install, say)) !== 0) {
    say("apt-get install failed; updating the package lists and trying again");
    await aptGet(["update"], say);
    const code = await aptGet(install, say);
    if (code !== 0) return { ok: false, reason: `apt-get install prometheus failed (exit ${code})` };
  }
  return found() ?? { ok: false, reason: "apt-get installed prometheus, yet prometheus/promtool are not on PATH" };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await ensurePrometheus((line) => console.error(`[prometheus] ${line}`));
  if (!result.ok) {
    console.error(`prometheus: ${result.reason}`);
    process.exit(1);
  }
  console.log(`${result.version}\nprometheus: ${result.prometheus}\npromtool: ${result.promtool}`);
}
