/**
 * Child process of the load, soak and fault runs: the ECS example service exactly as `npm start`
 * builds it (`createEcsService(loadConfig(env))`), on 127.0.0.1 at a free port.
 *
 * IPC: sends `{ type: 'ready', port }`; answers `{ type: 'sample', seq }` with its memory (after a
 * full GC when started with --expose-gc) and nonce-store figures; exits on `{ type: 'stop' }`.
 */
import { MemoryStore } from '../../lib/stores/index.js';
import { loadConfig } from '../../examples/ecs/config.js';
import { createEcsService, listen } from '../../examples/ecs/service.js';
import { isToService, type FromService } from './ipc.js';

function send(message: FromService): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('service-process.ts must be forked with IPC');
  let reportedBugs = 0;
  const service = await createEcsService(loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' }), {
    reportError: (err) => {
      reportedBugs++;
      if (reportedBugs <= 5) console.error(`[service] InternalError ${err.requestId ?? '-'}: ${err.stack ?? err.message}`);
    },
  });
  const server = await listen(service.listener, '127.0.0.1', 0);
  server.server.keepAliveTimeout = 30_000;
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: unknown) => {
    if (!isToService(message)) return;
    if (message.type === 'stop') {
      void server
        .close()
        .then(() => service.close())
        .finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
      return;
    }
    gc?.();
    const memory = process.memoryUsage();
    const nonces = service.state.nonces;
    send({
      type: 'sample',
      seq: message.seq,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      nonceEntries: nonces instanceof MemoryStore ? nonces.size : -1,
      earlyEvictions: nonces instanceof MemoryStore ? nonces.earlyEvictions : -1,
      reportedBugs,
      cpuMicros: process.cpuUsage().user + process.cpuUsage().system,
    });
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: server.port });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  setTimeout(() => process.exit(1), 100).unref();
});
