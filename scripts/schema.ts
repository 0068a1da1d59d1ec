/** `emit` writes schema/schema.graphql from the code; `check` fails when the committed file is stale. */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { printSdl } from '../src/schema';

const FILE = 'schema/schema.graphql';

async function main() {
  const sdl = await printSdl();
  if (process.argv[2] === 'check') {
    const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
    if (current !== sdl) {
      console.error(`${FILE} is stale: run npm run schema:emit and commit it`);
      process.exit(1);
    }
    console.log(`${FILE} matches the code`);
    return;
  }
  mkdirSync('schema', { recursive: true });
  writeFileSync(FILE, sdl);
  console.log(`wrote ${FILE}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
