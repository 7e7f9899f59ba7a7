/** A failure the user can act on: printed without a stack trace. */
export class ClusterError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = "ClusterError";
  }
}
