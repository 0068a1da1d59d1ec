/**
 * The ceiling for bench/http.ts: the same answers as the GraphQL API gives for the benchmarked
 * queries, from a minimal node:http server with hand-written SQL over a mysql2 pool of the same
 * size. No auth, no validation, no GraphQL: what is left is the database and JSON.
 */
import http from 'node:http';
import mysql from 'mysql2/promise';

const url = process.env.DATABASE_URL!;
const pool = mysql.createPool({
  uri: url,
  connectionLimit: Number(process.env.DB_POOL_SIZE || 20),
  supportBigNumbers: true,
  bigNumberStrings: false,
  dateStrings: true,
});

type Handler = (params: URLSearchParams) => Promise<unknown>;

const handlers: Record<string, Handler> = {
  /** Agency staff: a page of agents of a region with their region and latest three records. */
  async '/agents'(q) {
    const region = q.get('region') ?? 'SHASHI';
    const [agents] = await pool.query<mysql.RowDataPacket[]>(
      `SELECT a.id, a.code, a.name, a.status, a.riskScore, a.regionId FROM agent a JOIN region r ON r.id = a.regionId
        WHERE r.code = ? ORDER BY a.id LIMIT 51`,
      [region],
    );
    const page = agents.slice(0, 50);
    const [regions] = await pool.query<mysql.RowDataPacket[]>('SELECT id, code, name FROM region WHERE id IN (?)', [[...new Set(page.map((a) => a.regionId))]]);
    const latest = page.length
      ? (
          await pool.query<mysql.RowDataPacket[]>(
            page
              .map(() => '(SELECT id, agentId, msisdn, status, flags, openedAt FROM registration WHERE agentId = ? ORDER BY id DESC LIMIT 3)')
              .join(' UNION ALL '),
            page.map((a) => a.id),
          )
        )[0]
      : [];
    const regionById = new Map(regions.map((r) => [r.id, { code: r.code, name: r.name }]));
    return {
      agents: {
        edges: page.map((a) => ({
          node: {
            id: String(a.id),
            code: a.code,
            name: a.name,
            status: a.status,
            riskScore: a.riskScore,
            region: regionById.get(a.regionId),
            registrations: {
              edges: latest
                .filter((r) => r.agentId === a.id)
                .map((r) => ({
                  node: { id: String(r.id), msisdn: r.msisdn, status: r.status, flags: r.flags ? String(r.flags).split(',') : [], openedAt: r.openedAt },
                })),
            },
          },
        })),
        pageInfo: { hasNextPage: agents.length > 50 },
      },
    };
  },

  /** A repair shop: the first page of its shelf with part and location. */
  async '/stock'(q) {
    const partnerId = Number(q.get('partnerId'));
    const [rows] = await pool.query<mysql.RowDataPacket[]>(
      `SELECT s.id, s.onHand, p.sku, p.name, s.unitCostFen, l.name AS locationName FROM stock_level s
         JOIN stock_location l ON l.id = s.locationId JOIN part p ON p.id = s.partId
        WHERE l.partnerId = ? ORDER BY s.id LIMIT 51`,
      [partnerId],
    );
    return {
      stockLevels: {
        edges: rows
          .slice(0, 50)
          .map((r) => ({ node: { onHand: r.onHand, part: { sku: r.sku, name: r.name }, location: { name: r.locationName }, unitCostFen: r.unitCostFen } })),
      },
    };
  },

  /** Finance: subsidy totals per partner for a year. */
  async '/totals'(q) {
    const [rows] = await pool.query<mysql.RowDataPacket[]>(
      `SELECT s.partnerId AS k, p.name AS label, SUM(s.amountFen) AS amountFen FROM subsidy s JOIN repair_partner p ON p.id = s.partnerId
        WHERE s.period BETWEEN ? AND ? GROUP BY s.partnerId, p.name ORDER BY s.partnerId`,
      [q.get('from') ?? '2025-01', q.get('to') ?? '2025-12'],
    );
    return { subsidyTotals: rows.map((r) => ({ key: String(r.k), label: r.label, amountFen: Number(r.amountFen) })) };
  },
};

const server = http.createServer(async (req, res) => {
  const u = new URL(req.url ?? '/', 'http://x');
  const handler = handlers[u.pathname];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = JSON.stringify({ data: await handler(u.searchParams) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
