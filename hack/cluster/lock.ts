import { openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import { delay } from "./processes.ts";

/**
 * A lock file held by a live pid, so two `cluster:up` (say, a test run and
 * `npm start`) never start two clusters into the same directory.
 */
export async function withLock<T>(file: string, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  let waited = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      if (!holderAlive(file)) {
        rmSync(file, { force: true });
        continue;
      }
      if (!waited) onWait();
      waited = true;
      await delay(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function holderAlive(file: string): boolean {
  try {
    process.kill(Number(readFileSync(file, "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}
