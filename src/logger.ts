import pino, { DestinationStream, Logger } from 'pino';

/**
 * Human-readable lines for a developer (NODE_ENV=development, the default of `npm start` and
 * `npm run dev`), through pino-pretty, a dev dependency: absent (a pruned production install), the
 * logs stay JSON. Tests and production always log JSON.
 */
function prettyStream(nodeEnv: string | undefined): DestinationStream | undefined {
  if (nodeEnv !== 'development') return undefined;
  try {
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({ colorize: !!process.stdout.isTTY, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  } catch {
    return undefined;
  }
}

/**
 * Structured JSON logs. Secrets and identity numbers are cut out wherever they appear: the paths
 * below, request URLs without their query values (request-log.ts), SQL without its parameters
 * (common/typeorm-log.ts), and errors without the statement's parameters or the driver's
 * values-filled SQL. `destination` is for tests that read the lines; without one, a developer
 * (nodeEnv development) gets pretty lines.
 */
export function createLogger(level: string, nodeEnv?: string, destination?: DestinationStream): Logger {
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
        // A QueryFailedError carries the statement's parameters; mysql2's error its SQL with the
        // values filled in.
        'err.parameters',
        'err.sql',
        'err.driverError.sql',
        'err.driverError.parameters',
        'err.originalError.parameters',
        'err.originalError.sql',
      ],
      censor: '[redacted]',
    },
  };
  const stream = destination ?? prettyStream(nodeEnv);
  return stream ? pino(options, stream) : pino(options);
}
