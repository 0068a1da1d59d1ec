import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Secrets and identity numbers are cut out wherever they appear: the paths
 * below, request URLs without their query values (request-log.ts), SQL without its parameters
 * (common/typeorm-log.ts), and errors without the statement's parameters or the driver's
 * values-filled SQL. `destination` is for tests that read the lines.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
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
  return destination ? pino(options, destination) : pino(options);
}
