/**
 * The ECS example service: `npm start` (or `node --import tsx examples/ecs/server.ts`).
 *
 *   PORT=8080 FRAMEWORK=express REDIS_URL=redis://127.0.0.1:6379 npm start
 *
 * Settings: see config.ts. Several processes on one port: cluster.ts (`npm run start:cluster`).
 * Observability (observability.ts): an access log of JSON lines on stdout (pino), Prometheus
 * metrics at /metrics (prom-client).
 */
import { pino } from 'pino';
import { startupBanner } from './banner.js';
import { ConfigError, loadConfig } from './config.js';
import { observedEcsService } from './observability.js';
import { listen } from './service.js';

/** Where `npm start` serves the API explorer page (createEcsService serves none unless asked). */
const EXPLORER_PATH = '/explorer';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const { service, listener } = await observedEcsService(config, logger, { explorerPath: EXPLORER_PATH });
  const server = await listen(listener, config.host, config.port);
  console.log(startupBanner(config, server.endpoint, 1, EXPLORER_PATH));

  const stop = (): void => {
    void server
      .close()
      .then(() => service.close())
      .finally(() => {
        logger.flush();
        process.exit(0);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
  console.error(`ECS example service cannot start: ${message}`);
  process.exit(1);
});
