import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { hydrator } from '../../src/runtime/sql/hydrate';

/**
 * The compiled hydrator (src/runtime/sql/hydrate.ts) builds the entity TypeORM's own find() builds,
 * from the raw rows of plain SQL and of a query builder's aliased select; keys a projection left out
 * stay unset; and a column name that needs quoting in code is taken as data, never as code.
 */
const cents = { to: (v: number | null) => v, from: (v: unknown) => (v == null ? null : Number(v) / 100) };

@Entity('hydrate_probe')
class Probe {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 40 }) name!: string;
  @Column({ type: 'integer' }) count!: number;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ type: 'datetime' }) at!: Date;
  @Column({ type: 'integer', nullable: true, transformer: cents }) amount!: number | null;
  @Column({ type: 'simple-array' }) tags!: string[];
  @Column({ type: 'varchar', length: 40, name: "odd'name\\`}); throw 1; //" }) odd!: string;
}

describe('hydrator', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Probe], synchronize: true });
    await ds.initialize();
    const repo = ds.getRepository(Probe);
    await repo.save(repo.create({ name: '张三', count: 3, active: true, at: new Date('2026-12-02T03:04:05.000Z'), amount: 12.34, tags: ['A', 'B'], odd: 'x' }));
    await repo.save(repo.create({ name: 'b', count: 0, active: false, at: new Date('2025-01-31T16:00:00.000Z'), amount: null, tags: [], odd: '' }));
  });
  afterAll(() => ds.destroy());

  it('builds from plain SQL rows what find() builds', async () => {
    const rows: Record<string, unknown>[] = await ds.query('SELECT * FROM hydrate_probe ORDER BY id');
    const hydrate = hydrator(ds, Probe);
    const built = rows.map(hydrate);
    expect(built[0]).toBeInstanceOf(Probe);
    expect(built).toEqual(await ds.getRepository(Probe).find({ order: { id: 'ASC' } }));
  });

  it("builds from a query builder's aliased columns what find() builds", async () => {
    const rows = await ds.getRepository(Probe).createQueryBuilder('p').orderBy('p.id').getRawMany<Record<string, unknown>>();
    expect(Object.keys(rows[0])).toContain('p_name');
    expect(rows.map(hydrator(ds, Probe, 'p'))).toEqual(await ds.getRepository(Probe).find({ order: { id: 'ASC' } }));
  });

  it('leaves the properties of columns the row does not carry unset', async () => {
    const [row] = await ds.query('SELECT id, name, at FROM hydrate_probe ORDER BY id LIMIT 1');
    const p = hydrator(ds, Probe)(row);
    expect(p).toEqual(Object.assign(new Probe(), { id: 1, name: '张三', at: new Date('2026-12-02T03:04:05.000Z') }));
    expect('count' in p && p.count !== undefined).toBe(false);
  });
});
