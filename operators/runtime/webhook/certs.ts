// A self-signed certificate authority and a serving certificate it signs,
// made in memory at start: the API server calls webhooks over TLS only, and
// trusts the CA given as caBundle in the webhook configuration. ECDSA P-256
// with SHA-256, which the API server's Go TLS stack accepts.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from "./der.ts";

const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
} as const;

export interface CertificateAuthority {
  /** PEM, for caBundle. */
  certPem: string;
  key: KeyObject;
  name: Buffer;
  keyId: Buffer;
}

export interface ServingCertificate {
  certPem: string;
  keyPem: string;
  /** The names and addresses it is valid for. */
  hosts: string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function distinguishedName(commonName: string): Buffer {
  const attribute = (oid: string, value: string) => set(sequence(objectIdentifier(oid), utf8String(value)));
  return sequence(attribute(OID.organization, "mirrorkube"), attribute(OID.commonName, commonName));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** The key identifier RFC 5280 §4.2.1.2 suggests: SHA-1 of the public key bits. */
function keyIdentifier(spki: Buffer): Buffer {
  // The SubjectPublicKeyInfo of a P-256 key ends with the 65-byte uncompressed point.
  return createHash("sha1").update(spki.subarray(spki.length - 65)).digest();
}

function ipBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split(".").map(Number));
  const [head = "", tail = ""] = address.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  const h = groups(head);
  const t = address.includes("::") ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return Buffer.from(all.map((g) => g.padStart(4, "0")).join(""), "hex");
}

/** GeneralName: iPAddress [7] for addresses, dNSName [2] for everything else. */
function subjectAltNames(hosts: string[]): Buffer {
  return sequence(...hosts.map((h) => (isIPv4(h) || isIPv6(h) ? implicit(7, ipBytes(h)) : implicit(2, Buffer.from(h, "ascii")))));
}

interface CertificateSpec {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  validForMs: number;
  extensions: Buffer[];
}

function certificate(spec: CertificateSpec): string {
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, integer(2)),
    unsignedInteger(serial),
    algorithm,
    spec.issuer,
    // An hour of slack for clocks that disagree.
    sequence(time(new Date(now - HOUR_MS)), time(new Date(now + spec.validForMs))),
    spec.subject,
    spec.publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(...spec.extensions)),
  );
  const der = sequence(tbs, algorithm, bitString(sign("sha256", tbs, spec.signingKey)));
  return `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END CERTIFICATE-----\n`;
}

function newKeyPair() {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}

/** A fresh CA: its key never leaves the process. */
export function newCertificateAuthority(commonName: string, validForMs = 10 * 365 * DAY_MS): CertificateAuthority {
  const { publicKey, privateKey } = newKeyPair();
  const name = distinguishedName(commonName);
  const keyId = keyIdentifier(publicKey.export({ type: "spki", format: "der" }));
  const certPem = certificate({
    subject: name,
    issuer: name,
    publicKey,
    signingKey: privateKey,
    validForMs,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      // digitalSignature, keyCertSign, cRLSign: 1000 0110, the last bit unused.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x86]), 1)),
      extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    ],
  });
  return { certPem, key: privateKey, name, keyId };
}

/** A serving certificate for `hosts` (DNS names and IP addresses), signed by `ca`. */
export function issueServingCertificate(ca: CertificateAuthority, hosts: string[], validForMs = 365 * DAY_MS): ServingCertificate {
  if (hosts.length === 0) throw new Error("a serving certificate needs at least one host");
  const { publicKey, privateKey } = newKeyPair();
  const certPem = certificate({
    subject: distinguishedName(hosts[0] ?? ""),
    issuer: ca.name,
    publicKey,
    signingKey: ca.key,
    validForMs,
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      // digitalSignature: 1000 0000, seven bits unused.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
      extension(OID.subjectAltName, false, subjectAltNames(hosts)),
      extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, ca.keyId))),
    ],
  });
  return { certPem, keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), hosts };
}
