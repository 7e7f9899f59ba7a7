#!/usr/bin/env node
// `npx mirrorkube ...`: the CLI is TypeScript run by tsx, like everything else
// in this repository; registering tsx's loader in this process (rather than
// spawning another) keeps the exit code, signals and stdio as they are.
import { register } from "tsx/esm/api";

register();
await import("../operators/cli/main.ts");
