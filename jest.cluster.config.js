/** npm run test:cluster: the invariants on a three-node Galera cluster (scripts/galera-local.sh start),
 *  one server process per node. Not part of `npm test`, whose roots do not include test/cluster. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 120000,
  maxWorkers: 1,
};
