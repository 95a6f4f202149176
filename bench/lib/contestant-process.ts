/**
 * Entry point of one contestant's child process: `contestant-process.ts <scenario file> <contestant id>`.
 *
 * Loads the scenario, builds the contestant's request listener, listens on 127.0.0.1 port 0 and
 * tells the harness the port over IPC. Answers `cpu` with `process.cpuUsage()` (so server CPU is
 * measured per contestant, apart from the load generator) and exits cleanly on `stop` (so that
 * `--cpu-prof` can write its profile).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadScenario } from './load-scenarios.js';
import { isToContestant, type FromContestant } from './ipc.js';

function send(message: FromContestant): void {
  if (process.send !== undefined) process.send(message);
}

async function main(): Promise<void> {
  const [file, id] = process.argv.slice(2);
  if (file === undefined || id === undefined) throw new Error('usage: contestant-process.ts <scenario file> <contestant id>');
  if (process.send === undefined) throw new Error('contestant-process.ts must be started by the harness (fork with IPC)');
  const { scenario } = loadScenario(file);
  const contestant = scenario.contestants.find((c) => c.id === id);
  if (contestant === undefined) throw new Error(`no contestant ${id} in ${file}`);
  const listener = await contestant.createListener(process.env);
  const server = createServer(listener);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const stop = (): void => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('message', (message: unknown) => {
    if (!isToContestant(message)) return;
    if (message.type === 'stop') {
      stop();
      return;
    }
    const usage = process.cpuUsage();
    send({ type: 'cpu', seq: message.seq, user: usage.user, system: usage.system, rss: process.memoryUsage.rss() });
  });
  process.on('disconnect', stop); // the harness went away: do not linger
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
