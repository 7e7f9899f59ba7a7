// One decision at a time per namespace, as upstream's admission plugin
// serialises its work by namespace: reading a quota, deciding and writing
// its usage must not interleave with another request's, nor with the usage
// controller's recompute, or two admissions could both fit the last unit.

export class NamespaceLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier holder of `namespace` is done. */
  async run<T>(namespace: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(namespace) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(namespace, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(namespace) === tail) this.tails.delete(namespace);
    }
  }
}
