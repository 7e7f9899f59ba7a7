import { z } from "zod";
import { IntOrStringSchema } from "./int-or-string.ts";
import { withRules } from "./markers.ts";

export const ExecActionSchema = z.object({ command: z.array(z.string()).optional() });

export const HTTPGetActionSchema = z.object({
  path: z.string().default("/"),
  port: IntOrStringSchema,
  host: z.string().optional(),
  scheme: z.enum(["HTTP", "HTTPS"]).default("HTTP"),
  httpHeaders: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});
export type HTTPGetAction = z.infer<typeof HTTPGetActionSchema>;

export const TCPSocketActionSchema = z.object({ port: IntOrStringSchema, host: z.string().optional() });

export const GRPCActionSchema = z.object({ port: z.int32(), service: z.string().optional() });

// The handler fields shared by probes and lifecycle hooks.
const HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;
// A sum rather than a list comprehension: constant cost, which the API
// server's CEL cost estimate needs for a rule under unbounded container lists.
const HANDLER_COUNT = HANDLERS.map((h) => `(has(self.${h}) ? 1 : 0)`).join(" + ");

/** core/v1 Probe, with upstream's defaults (SetDefaults_Probe). */
export const ProbeSchema = withRules(
  z.object({
    exec: ExecActionSchema.optional(),
    httpGet: HTTPGetActionSchema.optional(),
    tcpSocket: TCPSocketActionSchema.optional(),
    grpc: GRPCActionSchema.optional(),
    initialDelaySeconds: z.int32().min(0).optional(),
    timeoutSeconds: z.int32().min(0).default(1),
    periodSeconds: z.int32().min(0).default(10),
    successThreshold: z.int32().min(0).default(1),
    failureThreshold: z.int32().min(0).default(3),
    terminationGracePeriodSeconds: z.int().optional(),
  }),
  // Upstream validateHandler reports none ("must specify a handler type")
  // and several ("may not specify more than 1 handler type") apart; one rule
  // says both, because every probe rule is paid for once per container in the
  // CRD's CEL cost budget.
  [
    {
      rule: `${HANDLER_COUNT} == 1`,
      message: "must specify exactly 1 handler type (exec, httpGet, tcpSocket or grpc)",
      check: (p) => HANDLERS.filter((h) => p[h] !== undefined).length === 1,
    },
  ],
);
export type Probe = z.infer<typeof ProbeSchema>;
