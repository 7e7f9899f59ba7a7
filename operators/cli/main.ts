// The CLI's entry (bin/mirrorkube.js loads it through tsx).
import { run } from "./run.ts";

const code = await run(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
// Exit at once: nothing else is left to do, and an idle keep-alive socket must not hold the process.
process.exit(code);
