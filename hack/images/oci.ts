// An image as an OCI image layout (oci-layout, index.json, blobs), tarred the
// way `ctr images import` reads it: one uncompressed layer, its config, the
// manifest, and an index whose annotation names the image.
import { createHash } from "node:crypto";
import { tar, type TarEntry } from "./tar.ts";

/** The part of an OCI image config a container runtime uses. */
export interface ImageConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
}

export interface ImageSpec {
  /** The full reference, e.g. mirrorkube.local/busybox:1. */
  ref: string;
  /** The root filesystem: paths relative to /. */
  files: TarEntry[];
  config: ImageConfig;
}

export interface OciArchive {
  ref: string;
  /** The manifest digest (sha256:...), what the runtime reports as the image ID's source. */
  digest: string;
  archive: Buffer;
}

const mediaTypes = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar",
} as const;

/** The Go name of this machine's architecture, as image configs and platforms spell it. */
export function imageArch(): string {
  return ({ x64: "amd64", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x" } as Record<string, string>)[process.arch] ?? process.arch;
}

export function ociArchive(image: ImageSpec): OciArchive {
  const architecture = imageArch();
  const layer = tar(image.files);
  const config = json({
    architecture,
    os: "linux",
    config: image.config,
    rootfs: { type: "layers", diff_ids: [sha256(layer)] },
    history: [{ created_by: "mirrorkube hack/images" }],
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: mediaTypes.manifest,
    config: descriptor(mediaTypes.config, config),
    layers: [descriptor(mediaTypes.layer, layer)],
  });
  const tag = image.ref.slice(image.ref.lastIndexOf(":") + 1);
  const index = json({
    schemaVersion: 2,
    mediaType: mediaTypes.index,
    manifests: [
      {
        ...descriptor(mediaTypes.manifest, manifest),
        platform: { architecture, os: "linux" },
        annotations: { "io.containerd.image.name": image.ref, "org.opencontainers.image.ref.name": tag },
      },
    ],
  });
  const blob = (data: Buffer): TarEntry => ({ type: "file", path: `blobs/sha256/${sha256(data).slice("sha256:".length)}`, data });
  const archive = tar([
    { type: "file", path: "oci-layout", data: json({ imageLayoutVersion: "1.0.0" }) },
    { type: "file", path: "index.json", data: index },
    { type: "dir", path: "blobs" },
    { type: "dir", path: "blobs/sha256" },
    blob(layer),
    blob(config),
    blob(manifest),
  ]);
  return { ref: image.ref, digest: sha256(manifest), archive };
}

function descriptor(mediaType: string, data: Buffer) {
  return { mediaType, digest: sha256(data), size: data.length };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function sha256(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}
