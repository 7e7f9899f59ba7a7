// Messages between the benchmark and its measuring processes. Each
// measurement runs in a process of its own, so one heap's leftovers never
// count in another's numbers and the writer's CPU is not the informer's.
import { fork, type ChildProcess } from "node:child_process";

export interface Message {
  type: string;
}

/** Messages in arrival order, taken by type. */
class Inbox {
  private readonly received: Message[] = [];
  private readonly waiters: { type: string; resolve: (m: Message) => void }[] = [];

  push(message: Message): void {
    const i = this.waiters.findIndex((w) => w.type === message.type);
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(message);
    else this.received.push(message);
  }

  take<M extends Message>(type: M["type"], orFail: Promise<never>): Promise<M> {
    const i = this.received.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0] as M);
    return Promise.race([new Promise<M>((resolve) => this.waiters.push({ type, resolve: (m) => resolve(m as M) })), orFail]);
  }
}

/** The benchmark's side: a measuring process, forked with --expose-gc and tsx. */
export class MeasuringProcess {
  private readonly child: ChildProcess;
  private readonly inbox = new Inbox();
  private readonly exited: Promise<never>;

  constructor(file: string, args: string[]) {
    this.child = fork(file, args, {
      execArgv: ["--expose-gc", "--import", "tsx"],
      // Only the runtime's warnings: its info lines would bury the benchmark's progress.
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
    });
    this.child.on("message", (m) => this.inbox.push(m as Message));
    this.exited = new Promise<never>((_, reject) =>
      this.child.on("exit", (code, signal) => reject(new Error(`measuring process ${file} exited (${code ?? signal}) before answering`))),
    );
    this.exited.catch(() => undefined);
  }

  next<M extends Message>(type: M["type"]): Promise<M> {
    return this.inbox.take<M>(type, this.exited);
  }

  send<M extends Message>(message: M): void {
    this.child.send(message);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

/** The measuring process's side of the channel. */
export interface BenchmarkChannel {
  /** Resolves once the message is handed to the benchmark. */
  send<M extends Message>(message: M): Promise<void>;
  next<M extends Message>(type: M["type"]): Promise<M>;
}

export function connectToBenchmark(): BenchmarkChannel {
  const { send } = process;
  if (!send) throw new Error("run by the benchmark (bench/run.ts), not directly: no IPC channel");
  const inbox = new Inbox();
  process.on("message", (m) => inbox.push(m as Message));
  const never = new Promise<never>(() => undefined);
  return {
    send: (message) => new Promise((resolve, reject) => send.call(process, message, undefined, {}, (err) => (err ? reject(err) : resolve()))),
    next: (type) => inbox.take(type, never),
  };
}
