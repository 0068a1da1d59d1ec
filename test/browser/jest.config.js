/** `npm run test:browser`: the workbench in Debian's Chromium (headless, puppeteer-core; no browser
 *  download). Needs the built bundle (`npm run build`) and /usr/bin/chromium (CHROMIUM_PATH). */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 180000,
  maxWorkers: 1,
};
