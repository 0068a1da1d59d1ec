import pino, { DestinationStream, Logger } from 'pino';

/**
 * Human-readable lines for a developer (NODE_ENV=development, the default of `npm start` and
 * `npm run dev`), through pino-pretty, a dev dependency: absent (a pruned production install), the
 * logs stay JSON. Tests and production always log JSON.
 */
function prettyStream(nodeEnv: string | undefined): DestinationStream | undefined {
  if (nodeEnv !== 'development') return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({ colorize: !!process.stdout.isTTY, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  } catch {
    return undefined;
  }
}

/** Structured JSON logs. Secrets and identity numbers are cut out wherever they appear. */
export function createLogger(level: string, nodeEnv?: string): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.token',
        '*.idNumber',
        '*.variables',
        'variables',
        'password',
        'token',
        'idNumber',
      ],
      censor: '[redacted]',
    },
  };
  const pretty = prettyStream(nodeEnv);
  return pretty ? pino(options, pretty) : pino(options);
}
