// The host ports in use on a node (upstream framework.HostPortInfo), counted
// so that removing one of two pods that (wrongly) share a port keeps it used.
import type { HostPort } from "./pod-info.ts";

const ANY_IP = "0.0.0.0";

export class HostPortInfo {
  // ip → "protocol/port" → number of pods using it.
  private readonly byIP = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    let ports = this.byIP.get(p.ip);
    if (!ports) this.byIP.set(p.ip, (ports = new Map()));
    const key = `${p.protocol}/${p.port}`;
    ports.set(key, (ports.get(key) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    const ports = this.byIP.get(p.ip);
    const key = `${p.protocol}/${p.port}`;
    const n = ports?.get(key) ?? 0;
    if (!ports || n === 0) return;
    if (n === 1) ports.delete(key);
    else ports.set(key, n - 1);
    if (ports.size === 0) this.byIP.delete(p.ip);
  }

  /** 0.0.0.0 overlaps every IP; a specific IP overlaps itself and 0.0.0.0 (HostPortInfo.CheckConflict). */
  conflicts(p: HostPort): boolean {
    if (p.port <= 0) return false;
    const key = `${p.protocol}/${p.port}`;
    if (p.ip === ANY_IP) {
      for (const ports of this.byIP.values()) if (ports.has(key)) return true;
      return false;
    }
    return Boolean(this.byIP.get(ANY_IP)?.has(key) || this.byIP.get(p.ip)?.has(key));
  }

  get size(): number {
    let n = 0;
    for (const ports of this.byIP.values()) n += ports.size;
    return n;
  }

  clone(): HostPortInfo {
    const copy = new HostPortInfo();
    for (const [ip, ports] of this.byIP) copy.byIP.set(ip, new Map(ports));
    return copy;
  }
}
