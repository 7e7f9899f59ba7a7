import { log } from "../logging.ts";
import type { Logger } from "../logging.ts";

/** Used when the caller passes no logger, so reflector problems are never silent. */
export const defaultInformerLogger: Logger = log.child({ component: "informer" });
