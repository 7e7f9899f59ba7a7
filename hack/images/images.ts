// The images real nodes run, built from this machine's Debian packages and
// our own code only (no registry is reachable, none is needed): the sandbox
// image and a busybox that serves HTTP and misbehaves on demand. Pods use
// them with imagePullPolicy Never or IfNotPresent.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { goCommand } from "../cluster/build.ts";
import { repoRoot } from "../cluster/paths.ts";
import type { Progress } from "../cluster/progress.ts";
import { ociArchive, type ImageSpec } from "./oci.ts";
import type { TarEntry } from "./tar.ts";

export const pauseImage = "mirrorkube.local/pause:1";
export const busyboxImage = "mirrorkube.local/busybox:1";

/** Debian's busybox-static: one static binary, every applet behind it. */
export const busyboxBinary = "/bin/busybox";
const imagesSrc = join(repoRoot, "hack", "images");

export interface BuiltImage {
  ref: string;
  /** The manifest digest: the same sources give the same digest, so an import can be skipped. */
  digest: string;
  /** The OCI archive for `ctr images import`. */
  file: string;
}

/** Builds every image into `outDir`; takes a few seconds (the pause program is compiled with Go's cache). */
export async function buildImages(outDir: string, progress: Progress): Promise<BuiltImage[]> {
  mkdirSync(outDir, { recursive: true });
  const pause = join(outDir, "pause");
  const env = { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOFLAGS: "" };
  await goCommand(["build", "-trimpath", "-ldflags", "-s -w", "-o", pause, "."], { cwd: join(imagesSrc, "pause"), env }, progress, "lines");
  return [pauseSpec(readFileSync(pause)), busyboxSpec()].map((spec) => {
    const built = ociArchive(spec);
    const file = join(outDir, `${spec.ref.replace(/[/:]/g, "_")}.tar`);
    writeFileSync(file, built.archive);
    return { ref: built.ref, digest: built.digest, file };
  });
}

function pauseSpec(binary: Buffer): ImageSpec {
  return { ref: pauseImage, files: [{ type: "file", path: "pause", data: binary, mode: 0o755 }], config: { Entrypoint: ["/pause"] } };
}

function busyboxSpec(): ImageSpec {
  const applets = execFileSync(busyboxBinary, ["--list"], { encoding: "utf8" })
    .split("\n")
    .filter((a) => a && a !== "busybox" && !a.includes("/"))
    .sort();
  const script = (name: string) => readFileSync(join(imagesSrc, "busybox", name));
  const files: TarEntry[] = [
    { type: "dir", path: "bin" },
    { type: "file", path: "bin/busybox", data: readFileSync(busyboxBinary), mode: 0o755 },
    ...applets.map((a): TarEntry => ({ type: "symlink", path: `bin/${a}`, target: "busybox" })),
    { type: "file", path: "bin/serve", data: script("serve.sh"), mode: 0o755 },
    { type: "dir", path: "etc" },
    { type: "file", path: "etc/passwd", data: Buffer.from("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n") },
    { type: "file", path: "etc/group", data: Buffer.from("root:x:0:\nnogroup:x:65534:\n") },
    { type: "dir", path: "root", mode: 0o700 },
    { type: "dir", path: "tmp", mode: 0o1777 },
    { type: "dir", path: "www" },
    { type: "dir", path: "www/cgi-bin" },
    { type: "file", path: "www/cgi-bin/control", data: script("control.cgi"), mode: 0o755 },
  ];
  return { ref: busyboxImage, files, config: { Entrypoint: ["/bin/serve"], Env: ["PATH=/bin"], WorkingDir: "/", ExposedPorts: { "80/tcp": {} } } };
}
