import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The logger in a process of its own (stdout as a pipe, as under a supervisor or in CI). */
function logLine(nodeEnv: string): string {
  const logger = join(__dirname, '../../src/logger.ts');
  return execFileSync(
    process.execPath,
    [
      '-r',
      'ts-node/register',
      '-e',
      `require(${JSON.stringify(logger)}).createLogger('info', ${JSON.stringify(nodeEnv)}).info({ password: 'secret', n: 1 }, 'hello')`,
    ],
    { encoding: 'utf8', cwd: join(__dirname, '../..') },
  ).trim();
}

describe('log format', () => {
  it('is human-readable in development, with secrets still cut out', () => {
    const line = logLine('development');
    expect(() => JSON.parse(line)).toThrow();
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: hello \{"password":"\[redacted\]","n":1\}$/);
  });

  it.each(['production', 'test'])('is JSON in %s', (env) => {
    const entry = JSON.parse(logLine(env));
    expect(entry).toMatchObject({ level: 30, msg: 'hello', n: 1, password: '[redacted]' });
  });
});
