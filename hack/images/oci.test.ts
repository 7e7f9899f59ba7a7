import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ociArchive, type ImageSpec } from "./oci.ts";
import { tar } from "./tar.ts";

// The archives are read back with GNU tar, the reader the format has to satisfy.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function extract(archive: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "mirrorkube-oci-"));
  dirs.push(dir);
  execFileSync("tar", ["-x", "-C", dir, "-f", "-"], { input: archive });
  return dir;
}

const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
const longName = `${"d".repeat(80)}/${"e".repeat(60)}/file`;

describe("tar", () => {
  it("writes entries GNU tar lists with their types, modes, sizes and link targets", () => {
    const archive = tar([
      { type: "dir", path: "bin" },
      { type: "file", path: "bin/tool", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 },
      { type: "symlink", path: "bin/alias", target: "tool" },
      { type: "dir", path: "tmp", mode: 0o1777 },
      { type: "file", path: longName, data: Buffer.alloc(1000, 1) },
    ]);
    expect(archive.length % 512).toBe(0);
    const listing = execFileSync("tar", ["-tv", "--numeric-owner", "-f", "-"], { input: archive, encoding: "utf8" }).trim().split("\n");
    expect(listing.map((l) => l.split(/\s+/).slice(5).join(" "))).toEqual(["bin/", "bin/tool", "bin/alias -> tool", "tmp/", longName]);
    expect(listing.map((l) => l.split(/\s+/)[0])).toEqual(["drwxr-xr-x", "-rwxr-xr-x", "lrwxrwxrwx", "drwxrwxrwt", "-rw-r--r--"]);
    const dir = extract(archive);
    expect(readFileSync(join(dir, "bin/tool"), "utf8")).toBe("#!/bin/sh\n");
    expect(readlinkSync(join(dir, "bin/alias"))).toBe("tool");
    expect(statSync(join(dir, longName)).size).toBe(1000);
  });

  it("gives the same bytes for the same entries (mtime 0, root owner)", () => {
    const entries = [{ type: "file" as const, path: "a", data: Buffer.from("x") }];
    expect(tar(entries).equals(tar(entries))).toBe(true);
  });

  it("refuses a path no ustar header can hold", () => {
    expect(() => tar([{ type: "file", path: "x".repeat(120), data: Buffer.alloc(0) }])).toThrow(/path too long/);
  });
});

describe("ociArchive", () => {
  const spec: ImageSpec = {
    ref: "mirrorkube.local/test:7",
    files: [
      { type: "dir", path: "bin" },
      { type: "file", path: "bin/hello", data: Buffer.from("hello"), mode: 0o755 },
    ],
    config: { Entrypoint: ["/bin/hello"], Env: ["PATH=/bin"] },
  };

  it("is an OCI layout whose index names the image and whose digests and sizes match the blobs", () => {
    const built = ociArchive(spec);
    const dir = extract(built.archive);
    const blob = (digest: string) => readFileSync(join(dir, "blobs", "sha256", digest.slice("sha256:".length)));
    expect(JSON.parse(readFileSync(join(dir, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });

    const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
    const [desc] = index.manifests;
    expect(desc.annotations).toEqual({ "io.containerd.image.name": "mirrorkube.local/test:7", "org.opencontainers.image.ref.name": "7" });
    expect(desc.digest).toBe(built.digest);
    const manifestBytes = blob(desc.digest);
    expect(sha256(manifestBytes)).toBe(desc.digest);
    expect(manifestBytes.length).toBe(desc.size);

    const manifest = JSON.parse(manifestBytes.toString());
    for (const d of [manifest.config, ...manifest.layers]) {
      expect(sha256(blob(d.digest))).toBe(d.digest);
      expect(blob(d.digest).length).toBe(d.size);
    }
    const config = JSON.parse(blob(manifest.config.digest).toString());
    expect(config.config).toEqual(spec.config);
    expect(config.os).toBe("linux");
    expect(desc.platform).toEqual({ architecture: config.architecture, os: "linux" });
    // An uncompressed layer: its diff ID is its own digest.
    expect(config.rootfs.diff_ids).toEqual([manifest.layers[0].digest]);
    const layer = extract(blob(manifest.layers[0].digest));
    expect(readFileSync(join(layer, "bin/hello"), "utf8")).toBe("hello");
  });

  it("is reproducible: the same spec gives the same digest", () => {
    expect(ociArchive(spec).digest).toBe(ociArchive(spec).digest);
    expect(ociArchive({ ...spec, config: { Entrypoint: ["/bin/other"] } }).digest).not.toBe(ociArchive(spec).digest);
  });
});
