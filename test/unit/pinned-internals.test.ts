import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * src/runtime reads internals of these packages (src/runtime/README.md lists which, and where):
 * their versions are pinned exactly, and this fails when an upgrade lands, so whoever upgrades
 * re-runs the runtime's guard tests and `npm run bench:ab` on purpose, and then moves the pin here.
 */
const PINNED: Record<string, { version: string; why: string }> = {
  typeorm: { version: '1.1.1', why: 'QueryExpressionMap (statement cache), DriverUtils (hydrator, pagination), the mysql2 pool behind the driver' },
  'type-graphql': { version: '2.0.0-rc.4', why: 'getMetadataStorage() fields, fieldResolvers and params (resolver wiring, projection)' },
  'graphql-jit': { version: '0.8.9', why: 'compileQuery and its handling of plain fields (jit executor, resolver wiring)' },
  mysql2: {
    version: '3.24.6',
    why: 'pool._allConnections/_freeConnections/_connectionQueue, connection.addCommand and promise() (pool guard, pool figures), pool.execute',
  },
  'class-validator': { version: '0.15.1', why: 'getMetadataStorage().getTargetValidationMetadatas (argument validation shortcut)' },
  '@apollo/server': { version: '5.5.1', why: 'patched by patches/@apollo+server+5.5.1.patch (gateway executor)' },
};

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const installed = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

describe('dependencies whose internals src/runtime uses', () => {
  for (const [name, { version, why }] of Object.entries(PINNED)) {
    it(`${name} is pinned to exactly ${version} and installed at it (${why})`, () => {
      expect(manifest.dependencies[name]).toBe(version);
      expect(installed(name)).toBe(version);
    });
  }

  it('the internals read are where the runtime expects them', () => {
    const { QueryExpressionMap } = require('typeorm/query-builder/QueryExpressionMap');

    const { DriverUtils } = require('typeorm/driver/DriverUtils');
    expect(typeof QueryExpressionMap).toBe('function');
    expect(typeof DriverUtils.buildAlias).toBe('function');

    const storage = require('type-graphql').getMetadataStorage();
    for (const k of ['objectTypes', 'fieldResolvers']) expect(Array.isArray(storage[k])).toBe(true);

    const validators = require('class-validator').getMetadataStorage();
    expect(typeof validators.getTargetValidationMetadatas).toBe('function');

    // The pool guard keeps one promise wrapper per connection: a wrapper of the connection and the
    // Promise class, which TypeORM asks for on every statement (mysql2 makes a new one each time).
    const PoolConnection = require(join(root, 'node_modules', 'mysql2', 'lib', 'pool_connection.js'));
    expect(typeof PoolConnection.prototype.promise).toBe('function');
    const fake = new (require('node:events').EventEmitter)();
    const wrapper = PoolConnection.prototype.promise.call(fake);
    expect(wrapper.connection).toBe(fake);
    expect(wrapper.Promise).toBe(Promise);
    expect(PoolConnection.prototype.promise.call(fake)).not.toBe(wrapper);
  });
});
