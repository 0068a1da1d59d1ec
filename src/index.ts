import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  app.log.info({ url: `${app.url}/graphql`, database: config.database.type }, 'listening');
  // One line when the server has stopped (in-flight requests answered, database closed).
  let stopping = false;
  const shutdown = (signal: string) => {
    // Ctrl-C under `npm run dev` reaches this process twice (from the terminal and from node --watch).
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    const timer = setTimeout(() => {
      app.log.error({ signal }, 'stopping took over 15 s: exiting');
      process.exit(1);
    }, 15000);
    timer.unref();
    app.stop().then(
      () => {
        app.log.info({ signal, ms: Date.now() - started }, `stopped on ${signal}`);
        // pino-pretty writes through a stream of its own: let it reach stdout before exiting.
        setTimeout(() => process.exit(0), 50);
      },
      (err) => {
        app.log.error({ err, signal }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
