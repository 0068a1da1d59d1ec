import pino, { Logger } from 'pino';

/** Structured JSON logs. Secrets and identity numbers are cut out wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
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
  });
}
