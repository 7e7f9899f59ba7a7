// How failures reach the user, as kubectl's cmdutil.CheckErr prints them:
// "error: <message>" on stderr and exit code 1; an API server refusal as
// "Error from server (<Reason>): <message>".
import { ApiError } from "../runtime/client/index.ts";

/** A failure to report as it is (kubectl's plain errors). */
export class CliError extends Error {}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.reason ? `Error from server (${err.reason}): ${err.message}` : `Error from server: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith("error: ") ? message : `error: ${message}`;
}
