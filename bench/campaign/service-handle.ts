/**
 * Starting the example service in a child process (under tsx, with --expose-gc) and talking to it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { isFromService, type ServiceSample } from './ipc.js';

/** A running service process. */
export interface ServiceHandle {
  readonly port: number;
  readonly pid: number;
  /** Its memory after a full GC, and its nonce-store figures. */
  sample(): Promise<ServiceSample>;
  stop(): Promise<void>;
}

/**
 * Fork `bench/campaign/service-process.ts` with `env` (e.g. FRAMEWORK, REDIS_URL) and wait for it.
 *
 * @example
 * const service = await startService({ FRAMEWORK: 'koa', ECS_THROTTLE_PER_SECOND: '1000000' });
 */
export function startService(env: Readonly<Record<string, string>>): Promise<ServiceHandle> {
  const child: ChildProcess = fork(path.join(__dirname, 'service-process.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map<number, (sample: ServiceSample) => void>();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`service process exited with ${code} before it was ready`)));
    child.on('message', (message: unknown) => {
      if (!isFromService(message)) return;
      if (message.type === 'failed') reject(new Error(message.message));
      else if (message.type === 'sample') waiting.get(message.seq)?.(message);
      else {
        resolve({
          port: message.port,
          pid: child.pid as number,
          sample: () =>
            new Promise((done) => {
              seq += 1;
              waiting.set(seq, done);
              child.send({ type: 'sample', seq });
            }),
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.send({ type: 'stop' });
            }),
        });
      }
    });
  });
}
