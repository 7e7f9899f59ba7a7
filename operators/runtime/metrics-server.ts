import { createServer, type Server } from "node:http";
import { listenOn } from "./health.ts";
import { registry } from "./metrics.ts";

/** Serves the process registry in the Prometheus text format at /metrics. */
export function serveMetrics(address: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end("not found\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "Content-Type": registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(`${err.message}\n`),
    );
  });
  return listenOn(server, address);
}
