/**
 * `npm run bench:statements -- [requests]`: what one agents page and one shelf cost MariaDB, for the
 * GraphQL server (`dist`, as `npm start` runs it) and for the hand-written endpoint of `npm run bench`
 * (bench/raw-server.ts), on the data set `npm run bench` leaves in bench_http.
 *
 * Each side gets `requests` (200) requests one at a time, after 20 to warm up; the figures are the
 * deltas of MariaDB's global status counters divided by the requests: statements by kind, bytes each
 * way, and the size of the HTTP answer. Nothing else may use the server meanwhile (run it under
 * /tmp/bench.lock like the other benchmarks), or its statements are counted too.
 *
 * What it shows: whether a gap between the two sides in `npm run bench` is work sent to the database
 * (more statements, more bytes) or work in the server process.
 */
import mysql from 'mysql2/promise';
import { benchDbUrl, benchEnv, graphqlLoad, RAW_SERVER, rawLoad, startFlags, startServer } from './http-common';

const REQUESTS = Number(process.argv[2] ?? 200);
const COUNTERS = ['Questions', 'Com_select', 'Com_stmt_execute', 'Com_stmt_prepare', 'Com_begin', 'Com_commit', 'Bytes_received', 'Bytes_sent'];

async function main(): Promise<void> {
  const env = benchEnv(benchDbUrl());
  const gql = await startServer([...startFlags(), 'dist/src/index.js'], '/ready', env);
  const raw = await startServer(RAW_SERVER, '/none', { ...env, TS_NODE_TRANSPILE_ONLY: 'true' });
  const db = await mysql.createConnection(process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test');
  const status = async (): Promise<Record<string, number>> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN (?)`, [COUNTERS]);
    return Object.fromEntries(rows.map((r) => [r.Variable_name as string, Number(r.Value)]));
  };
  try {
    for (const which of ['agents', 'stock']) {
      // One request at a time, each the next of the loads `npm run bench:profile` puts on either side
      // (the same shelf, the same turn through the regions).
      const next = (load: { requests?: unknown[] }) => (load.requests![0] as { setupRequest: (req: object) => { body?: string; path?: string } }).setupRequest;
      const gqlLoad = await graphqlLoad(`http://127.0.0.1:${gql.port}`, which, 1);
      const rawBase = `http://127.0.0.1:${raw.port}`;
      const [gqlNext, rawNext] = [next(gqlLoad), next(rawLoad(rawBase, which, 1))];
      const sides: Record<string, () => Promise<string>> = {
        graphql: async () => (await fetch(gqlLoad.url!, { method: 'POST', headers: gqlLoad.headers as Record<string, string>, body: gqlNext({}).body })).text(),
        raw: async () => (await fetch(`${rawBase}${rawNext({}).path}`)).text(),
      };
      for (const [side, request] of Object.entries(sides)) {
        for (let i = 0; i < 20; i++) await request();
        const before = await status();
        let answerBytes = 0;
        for (let i = 0; i < REQUESTS; i++) {
          const text = await request();
          if (!text.startsWith('{"data":')) throw new Error(`${which} ${side}: ${text.slice(0, 200)}`);
          answerBytes += Buffer.byteLength(text);
        }
        const after = await status();
        // One of the two status queries falls between the readings: a statement (and a few bytes
        // a request, bytes) that is not the server's.
        const per = (k: string) => ((after[k] - before[k] - (k === 'Questions' ? 1 : 0)) / REQUESTS).toFixed(2);
        console.log(
          `${which.padEnd(6)} ${side.padEnd(7)} statements ${per('Questions')} (select ${per('Com_select')}, execute ${per('Com_stmt_execute')}, ` +
            `prepare ${per('Com_stmt_prepare')}, begin ${per('Com_begin')}, commit ${per('Com_commit')}); ` +
            `bytes to MariaDB ${per('Bytes_received')}, from it ${per('Bytes_sent')}; HTTP answer ${(answerBytes / REQUESTS).toFixed(0)} bytes`,
        );
      }
    }
  } finally {
    await db.end();
    gql.proc.kill('SIGTERM');
    raw.proc.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
