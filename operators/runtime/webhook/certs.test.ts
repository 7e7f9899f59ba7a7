import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueServingCertificate, newCertificateAuthority } from "./certs.ts";
import { parseLabelSelector } from "./selector.ts";

describe("certificates", () => {
  it("issues a serving certificate the CA verifies, for DNS names and IP addresses", () => {
    const ca = newCertificateAuthority("test-ca");
    const serving = issueServingCertificate(ca, ["127.0.0.1", "::1", "quota.mirrorkube.svc"]);
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(serving.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe("IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:quota.mirrorkube.svc");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.checkHost("quota.mirrorkube.svc")).toBe("quota.mirrorkube.svc");
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.now());
  });

  it("refuses a certificate for nobody", () => {
    expect(() => issueServingCertificate(newCertificateAuthority("ca"), [])).toThrow(/at least one host/);
  });
});

describe("parseLabelSelector", () => {
  it("reads kubectl's selector syntax", () => {
    expect(parseLabelSelector("a=b, c!=d,!e,f,g in (x, y),h notin (z),i==j")).toEqual({
      matchExpressions: [
        { key: "a", operator: "In", values: ["b"] },
        { key: "c", operator: "NotIn", values: ["d"] },
        { key: "e", operator: "DoesNotExist" },
        { key: "f", operator: "Exists" },
        { key: "g", operator: "In", values: ["x", "y"] },
        { key: "h", operator: "NotIn", values: ["z"] },
        { key: "i", operator: "In", values: ["j"] },
      ],
    });
    expect(parseLabelSelector("")).toEqual({});
    expect(() => parseLabelSelector("a b")).toThrow(/unable to parse/);
  });
});
