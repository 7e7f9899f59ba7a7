// A serving certificate from files, as controller-runtime's certwatcher
// reads them: tls.crt, tls.key and ca.crt in one directory, which is how a
// kubernetes.io/tls Secret looks mounted (cert-manager's, or the Helm chart's
// own). The kubelet swaps a Secret volume's files at once when the Secret
// changes (cert-manager renews before expiry), so the files are re-read
// periodically and the server picks up what changed.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface CertificateFiles {
  certPem: string;
  keyPem: string;
  /** The CA that signed certPem: the caBundle of the webhook configuration. */
  caPem: string;
}

export const CERT_FILE = "tls.crt";
export const KEY_FILE = "tls.key";
export const CA_FILE = "ca.crt";

/** Reads and checks the three files: a certificate the CA issued, and its key. */
export function readCertificateFiles(dir: string): CertificateFiles {
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), "utf8");
    } catch (err) {
      throw new Error(`webhook certificate: cannot read ${join(dir, file)}: ${(err as Error).message}`, { cause: err });
    }
  };
  const files = { certPem: read(CERT_FILE), keyPem: read(KEY_FILE), caPem: read(CA_FILE) };
  const cert = new X509Certificate(files.certPem);
  const ca = new X509Certificate(files.caPem);
  // Self-signed serving certificates are their own CA (ca.crt equals tls.crt).
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new Error(`webhook certificate: ${join(dir, CERT_FILE)} is not signed by ${join(dir, CA_FILE)}`);
  if (!cert.checkPrivateKey(createPrivateKey(files.keyPem))) throw new Error(`webhook certificate: ${join(dir, KEY_FILE)} is not the key of ${join(dir, CERT_FILE)}`);
  return files;
}

export function sameFiles(a: CertificateFiles, b: CertificateFiles): { serving: boolean; ca: boolean } {
  return { serving: a.certPem === b.certPem && a.keyPem === b.keyPem, ca: a.caPem === b.caPem };
}
