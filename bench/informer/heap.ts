// Heap in use once garbage is gone: a forced full collection (node
// --expose-gc), repeated until the number settles, since objects freed by
// one collection (weak callbacks, finalizers) can free more in the next.
import { setImmediate as nextTurn } from "node:timers/promises";

export async function settledHeapUsed(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error("run node with --expose-gc (npm run bench does)");
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    gc();
    await nextTurn();
    const used = process.memoryUsage().heapUsed;
    if (Math.abs(last - used) < 64 * 1024) return used;
    last = used;
  }
  return last;
}
