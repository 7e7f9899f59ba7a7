import { spawn } from "node:child_process";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `localkube kubectl` (the kubectl built from the same modules) against
 * a kubeconfig; with multiCall false, `exe` is a plain kubectl.
 */
export function kubectl(exe: string, kubeconfig: string, args: string[], stdin?: string, multiCall = true): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, [...(multiCall ? ["kubectl"] : []), `--kubeconfig=${kubeconfig}`, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}
