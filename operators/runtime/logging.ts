import { pino, type Logger } from "pino";

/**
 * The process's root logger: JSON lines on stdout, level from LOG_LEVEL.
 * Controllers derive children carrying controller, namespace/name and
 * reconcileID, so every line of one reconcile can be found together.
 */
export const log: Logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

export type { Logger };
