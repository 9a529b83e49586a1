import './observability/tracing-preload';
import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config/config';
import { LOGGER } from './core/tokens';
import type { Logger } from './logging/logger';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`license-ledger: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp({ config });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.port, config.host);
  app.get<Logger>(LOGGER).info('License Ledger listening', {
    url: `http://${config.host}:${config.port}`,
    store: config.eventStore.kind,
    docs: `/docs`,
  });
}

main().catch((error) => {
  process.stderr.write(`license-ledger: failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
