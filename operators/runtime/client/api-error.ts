// Errors from the API server as a typed value built from its Status body, so
// callers branch on code and reason (a 409 requeues quietly, a 404 after a
// delete is fine) instead of parsing messages.
import { isRecord } from "./types.ts";
import type { Status, StatusDetails } from "./types.ts";

export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  /** From a Status object, e.g. the body of an error response or of a watch ERROR event. */
  static fromStatus(status: Status, httpCode?: number): ApiError {
    const code = status.code ?? httpCode ?? 500;
    return new ApiError(code, status.reason ?? reasonForCode(code), status.message ?? `status ${code}`, status.details);
  }

  /** From an HTTP error response whose body may or may not be a Status (a proxy may answer with HTML). */
  static fromResponse(httpCode: number, body: string): ApiError {
    const status = parseStatus(body);
    if (status) return ApiError.fromStatus(status, httpCode);
    const excerpt = body.length > 512 ? `${body.slice(0, 512)}…` : body;
    return new ApiError(httpCode, reasonForCode(httpCode), excerpt || `HTTP ${httpCode}`);
  }
}

function parseStatus(body: string): Status | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && parsed.kind === "Status" ? (parsed as Status) : undefined;
  } catch {
    return undefined;
  }
}

// The reasons apimachinery gives a bare HTTP code (NewGenericServerResponse).
function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 504:
      return "Timeout";
    default:
      return code >= 500 ? "InternalError" : "Unknown";
  }
}

function hasCode(err: unknown, code: number): err is ApiError {
  return err instanceof ApiError && err.code === code;
}

/** A write lost an optimistic-concurrency race: requeue and read the cache again, no error log. */
export function isConflict(err: unknown): err is ApiError {
  return hasCode(err, 409) && err.reason !== "AlreadyExists";
}

export function isAlreadyExists(err: unknown): err is ApiError {
  return hasCode(err, 409) && err.reason === "AlreadyExists";
}

export function isNotFound(err: unknown): err is ApiError {
  return hasCode(err, 404);
}

/** The resourceVersion (or continue token) is too old: relist. */
export function isGone(err: unknown): err is ApiError {
  return hasCode(err, 410);
}

export function isInvalid(err: unknown): err is ApiError {
  return hasCode(err, 422);
}

/**
 * A create refused because its namespace is being deleted: everything in it
 * is about to go, so controllers drop the work instead of retrying it (as
 * upstream's do on the NamespaceTerminating cause).
 */
export function isNamespaceTerminating(err: unknown): err is ApiError {
  return hasCode(err, 403) && !!err.details?.causes?.some((c) => c.reason === "NamespaceTerminating");
}
