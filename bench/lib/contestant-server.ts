/**
 * The harness's handle on one contestant process: start it, ask its CPU time, stop it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isFromContestant, type FromContestant, type ToContestant } from './ipc.js';

const ENTRY = join(__dirname, 'contestant-process.ts');
const START_TIMEOUT_MS = 30_000;
const REPLY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** CPU time of a contestant process so far, in microseconds. */
export interface CpuSample {
  readonly micros: number;
  readonly rss: number;
}

/** Options for `startContestant`. */
export interface StartOptions {
  /** Extra environment (from the scenario's `prepare()`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
}

/** A running contestant process. */
export class ContestantServer {
  private seq = 0;
  private readonly pending = new Map<number, (sample: CpuSample) => void>();

  private constructor(
    private readonly child: ChildProcess,
    /** The port it listens on, on 127.0.0.1. */
    readonly port: number,
  ) {
    child.on('message', (message: unknown) => {
      if (!isFromContestant(message) || message.type !== 'cpu') return;
      const resolve = this.pending.get(message.seq);
      this.pending.delete(message.seq);
      resolve?.({ micros: message.user + message.system, rss: message.rss });
    });
  }

  /**
   * Fork the contestant's process and wait until it listens.
   *
   * @example
   * const server = await ContestantServer.start('/repo/bench/scenarios/core-small.ts', 'koa-json');
   */
  static async start(scenarioFile: string, contestantId: string, options: StartOptions = {}): Promise<ContestantServer> {
    const child = fork(ENTRY, [scenarioFile, contestantId], {
      execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<FromContestant>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${contestantId}: not listening after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const onMessage = (message: unknown): void => {
        if (!isFromContestant(message) || message.type === 'cpu') return;
        done();
        resolve(message);
      };
      const onExit = (code: number | null): void => {
        done();
        reject(new Error(`${contestantId}: exited (code ${code}) before listening`));
      };
      const done = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    }).catch((err: unknown) => {
      child.kill();
      throw err;
    });
    if (ready.type === 'failed') {
      child.kill();
      throw new Error(`${contestantId}: failed to start:\n${ready.message}`);
    }
    if (ready.type !== 'ready') throw new Error(`${contestantId}: unexpected message`);
    return new ContestantServer(child, ready.port);
  }

  /**
   * The process's CPU time (user + system) so far.
   *
   * @example
   * const before = await server.cpu(); // ... load ... ; const used = (await server.cpu()).micros - before.micros;
   */
  cpu(): Promise<CpuSample> {
    const seq = ++this.seq;
    return new Promise<CpuSample>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error('contestant did not report its CPU time'));
      }, REPLY_TIMEOUT_MS);
      this.pending.set(seq, (sample) => {
        clearTimeout(timer);
        resolve(sample);
      });
      this.child.send({ type: 'cpu', seq } satisfies ToContestant);
    });
  }

  /**
   * Ask the process to exit cleanly (profiles get written); kill it (by its pid) if it does not.
   *
   * @example
   * await server.stop();
   */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ToContestant);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
