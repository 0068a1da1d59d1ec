import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { CREATE_PART, count, createPart, createPartner, expectLedgersBalance, firstSupplier, issue, receive, RECEIVE, stockedPart } from './parts-fixtures';

/** The catalog, suppliers, purchases at moving-average cost, stock queries, valuation and stocktakes. */
let t: TestApp;
let staff: string;
beforeAll(async () => {
  t = await startTestApp();
  staff = await t.token('aftersales');
});
afterAll(() => t.stop());

describe('reference data', () => {
  it('has the parts centre and suppliers in Shenzhen, Guangzhou and Wuhan', async () => {
    const res = await t.gql(
      `{ suppliers { totalCount edges { node { name city } } } locations(filter:{kind: CENTRE}) { totalCount edges { node { id kind name partner { id } } } } }`,
      {},
      staff,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.suppliers.edges.map((e: any) => e.node.city).sort()).toEqual(['Guangzhou', 'Shenzhen', 'Wuhan']);
    expect(res.data.locations.totalCount).toBe(1);
    expect(res.data.locations.edges[0].node).toMatchObject({ kind: 'CENTRE', partner: null });
  });

  it('gives a new partner its own shelf', async () => {
    const p = await createPartner(t);
    const res = await t.gql(`{ locations(filter:{kind: PARTNER}, first: 200) { edges { node { id kind partnerId partner { code } } } } }`, {}, staff);
    const shelf = res.data.locations.edges.map((e: any) => e.node).find((n: any) => n.partnerId === p.id);
    expect(shelf).toMatchObject({ kind: 'PARTNER', partner: { code: p.code } });
  });
});

describe('catalog', () => {
  it('creates a part with compatible models; its centre stock starts at 0 at the given cost', async () => {
    const res = await t.gql(
      CREATE_PART,
      {
        i: {
          sku: ' sx199-lcd-a ',
          name: 'Samsung SCH-X199 screen',
          category: 'SCREEN',
          unitCostFen: 8800,
          reorderPoint: 5,
          compatibleModels: [
            { brand: 'Samsung', model: 'SCH-X199' },
            { brand: 'Samsung', model: 'SCH-X339' },
          ],
        },
      },
      staff,
    );
    expect(res.errors).toBeUndefined();
    const part = res.data.createPart;
    expect(part).toMatchObject({ sku: 'SX199-LCD-A', unitCostFen: 8800, reorderPoint: 5, category: 'SCREEN' });
    expect(part.compatibleModels).toHaveLength(2);
    const read = await t.gql(
      `query($id:ID!){ part(id:$id){ centreOnHand stock { location { kind } onHand unitCostFen valueFen belowReorderPoint } } }`,
      { id: part.id },
      staff,
    );
    expect(read.data.part.centreOnHand).toBe(0);
    expect(read.data.part.stock).toEqual([{ location: { kind: 'CENTRE' }, onHand: 0, unitCostFen: 8800, valueFen: 0, belowReorderPoint: true }]);
  });

  it('refuses a duplicate SKU (whatever its case) with CONFLICT, and bad input naming the field', async () => {
    await createPart(t, { sku: 'DUP-1' });
    expectConflict(await t.gql(CREATE_PART, { i: { sku: 'dup-1', name: 'x', category: 'BATTERY', unitCostFen: 1 } }, staff), 'ALREADY_EXISTS');
    expectError(await t.gql(CREATE_PART, { i: { sku: 'a b', name: 'x', category: 'BATTERY', unitCostFen: 1 } }, staff), 'BAD_USER_INPUT', 'input.sku');
    expectError(await t.gql(CREATE_PART, { i: { sku: 'OK-2', name: ' ', category: 'BATTERY', unitCostFen: 1 } }, staff), 'BAD_USER_INPUT', 'input.name');
    expectError(
      await t.gql(CREATE_PART, { i: { sku: 'OK-3', name: 'x', category: 'BATTERY', unitCostFen: -1 } }, staff),
      'BAD_USER_INPUT',
      'input.unitCostFen',
    );
    expectError(
      await t.gql(CREATE_PART, { i: { sku: 'OK-4', name: 'x', category: 'BATTERY', unitCostFen: 1, reorderPoint: -2 } }, staff),
      'BAD_USER_INPUT',
      'input.reorderPoint',
    );
    expectError(
      await t.gql(
        CREATE_PART,
        {
          i: {
            sku: 'OK-5',
            name: 'x',
            category: 'BATTERY',
            unitCostFen: 1,
            compatibleModels: [
              { brand: 'LG', model: 'KX206' },
              { brand: 'lg', model: 'kx 206' },
            ],
          },
        },
        staff,
      ),
      'BAD_USER_INPUT',
      'input.compatibleModels.1',
    );
    expect(await count(t, `SELECT COUNT(*) AS n FROM part WHERE sku LIKE 'OK-%'`)).toBe(0);
  });

  it('filters by search, category and brand/model (case and dashes do not matter)', async () => {
    const a = await createPart(t, { name: 'Filter Motorola V680 battery', category: 'BATTERY', models: [{ brand: 'Motorola', model: 'V680' }] });
    const b = await createPart(t, { name: 'Filter Motorola C289 battery', category: 'BATTERY', models: [{ brand: 'Motorola', model: 'C289' }] });
    const c = await createPart(t, { name: 'Filter universal speaker', category: 'SPEAKER' });
    const q = `query($f:PartFilter){ parts(filter:$f, first: 200){ totalCount edges { node { id } } } }`;
    const ids = async (f: object) => (await t.gql(q, { f }, staff)).data.parts.edges.map((e: any) => e.node.id).sort();
    expect(await ids({ search: 'Filter' })).toEqual([a.id, b.id, c.id].sort());
    expect(await ids({ search: 'filter', category: 'BATTERY' })).toEqual([a.id, b.id].sort());
    expect(await ids({ brand: 'MOTOROLA', search: 'Filter' })).toEqual([a.id, b.id].sort());
    expect(await ids({ brand: 'motorola', model: 'v-680' })).toEqual([a.id]);
    expect(await ids({ search: '100%_' })).toEqual([]);
    expectError(await t.gql(q, { f: { model: 'V680' } }, staff), 'BAD_USER_INPUT', 'filter.model');
  });

  it('updates name, reorder point and the compatible models, and logs who did it', async () => {
    const p = await createPart(t, { models: [{ brand: 'LG', model: 'LG-KX206' }] });
    const res = await t.gql(
      `mutation($id:ID!,$i:UpdatePartInput!){ updatePart(id:$id, input:$i){ id name reorderPoint compatibleModels { brand model } } }`,
      { id: p.id, i: { name: 'Renamed', reorderPoint: 9, compatibleModels: [{ brand: 'Kyocera', model: 'KZ-820' }] } },
      staff,
    );
    expect(res.data.updatePart).toEqual({ id: p.id, name: 'Renamed', reorderPoint: 9, compatibleModels: [{ brand: 'Kyocera', model: 'KZ-820' }] });
    const log = await t.gql(
      `query($id:ID!){ changeLog(entityType:"Part", entityId:$id){ edges { node { action actorName } } } }`,
      { id: p.id },
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges.map((e: any) => e.node)).toEqual([
      { action: 'updatePart', actorName: 'aftersales' },
      { action: 'createPart', actorName: 'aftersales' },
    ]);
  });

  it('is managed by after-sales staff only', async () => {
    for (const user of ['finance', 'auditor', 'staff']) {
      expectError(await t.gql(CREATE_PART, { i: { sku: `R-${user}`, name: 'x', category: 'OTHER', unitCostFen: 1 } }, await t.token(user)), 'FORBIDDEN');
    }
    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: (await createPartner(t)).id });
    expectError(await t.gql(CREATE_PART, { i: { sku: 'R-shop', name: 'x', category: 'OTHER', unitCostFen: 1 } }, shop), 'FORBIDDEN');
    expectError(await t.gql(`mutation{ createSupplier(input:{name:"x", city:"y"}){ id } }`, {}, shop), 'FORBIDDEN');
    expect((await t.gql(`{ parts(first: 1){ totalCount } }`, {}, shop)).errors).toBeUndefined();
    expectError(await t.gql(`{ parts(first: 1){ totalCount } }`), 'UNAUTHENTICATED');
  });
});

describe('suppliers', () => {
  it('creates one; the same name twice is CONFLICT', async () => {
    const res = await t.gql(
      `mutation{ createSupplier(input:{name:"Test supplier A", city:"Wuhan", contactPhone:"027-1234567"}){ id name city contactPhone } }`,
      {},
      staff,
    );
    expect(res.data.createSupplier).toMatchObject({ name: 'Test supplier A', city: 'Wuhan' });
    expectConflict(await t.gql(`mutation{ createSupplier(input:{name:"Test supplier A", city:"Wuhan"}){ id } }`, {}, staff), 'ALREADY_EXISTS');
    expectError(await t.gql(`mutation{ createSupplier(input:{name:"Test supplier B", city:" "}){ id } }`, {}, staff), 'BAD_USER_INPUT', 'input.city');
  });
});

describe('purchase receipts', () => {
  it('moves the unit cost to the moving average, rounded to whole fen', async () => {
    const part = await createPart(t, { unitCostFen: 1000 });
    const r1 = await receive(t, [{ partId: part.id, quantity: 3, unitCostFen: 1000 }]);
    expect(r1.totalFen).toBe(3000);
    await receive(t, [{ partId: part.id, quantity: 1, unitCostFen: 1001 }]);
    // (3 × 1000 + 1 × 1001) / 4 = 1000.25 → 1000
    let read = await t.gql(`query($id:ID!){ part(id:$id){ unitCostFen centreOnHand } }`, { id: part.id }, staff);
    expect(read.data.part).toEqual({ unitCostFen: 1000, centreOnHand: 4 });
    await receive(t, [{ partId: part.id, quantity: 4, unitCostFen: 1201 }]);
    // (4 × 1000 + 4 × 1201) / 8 = 1100.5 → 1101 (half up, on both databases)
    read = await t.gql(`query($id:ID!){ part(id:$id){ unitCostFen centreOnHand } }`, { id: part.id }, staff);
    expect(read.data.part).toEqual({ unitCostFen: 1101, centreOnHand: 8 });
  });

  it('takes a new price outright when the centre had none of it', async () => {
    const part = await createPart(t, { unitCostFen: 500 });
    await receive(t, [{ partId: part.id, quantity: 2, unitCostFen: 730 }]);
    expect((await t.gql(`query($id:ID!){ part(id:$id){ unitCostFen } }`, { id: part.id }, staff)).data.part.unitCostFen).toBe(730);
  });

  it('records lines, movements and the document; a delivery note is booked once per supplier', async () => {
    const a = await createPart(t);
    const b = await createPart(t);
    const receipt = await receive(
      t,
      [
        { partId: b.id, quantity: 2, unitCostFen: 150 },
        { partId: a.id, quantity: 5, unitCostFen: 100 },
      ],
      'DN-TEST-1',
    );
    expect(receipt.totalFen).toBe(800);
    const read = await t.gql(
      `query($id:ID!){ purchaseReceipt(id:$id){ reference supplier { city } receivedAt actorName lines { part { id } quantity amountFen } } }`,
      { id: receipt.id },
      staff,
    );
    expect(read.data.purchaseReceipt).toMatchObject({ reference: 'DN-TEST-1', actorName: 'aftersales' });
    expect(read.data.purchaseReceipt.lines).toHaveLength(2);
    const mv = await t.gql(
      `query($id:ID!){ stockMovements(filter:{documentType: PURCHASE_RECEIPT, documentId:$id}){ edges { node { kind quantity unitCostFen actorName location { kind } part { id } } } } }`,
      { id: receipt.id },
      staff,
    );
    expect(mv.data.stockMovements.edges.map((e: any) => e.node)).toEqual(
      expect.arrayContaining([
        { kind: 'RECEIPT', quantity: 5, unitCostFen: 100, actorName: 'aftersales', location: { kind: 'CENTRE' }, part: { id: a.id } },
        { kind: 'RECEIPT', quantity: 2, unitCostFen: 150, actorName: 'aftersales', location: { kind: 'CENTRE' }, part: { id: b.id } },
      ]),
    );
    const again = await t.gql(
      RECEIVE,
      { i: { supplierId: await firstSupplier(t), reference: 'DN-TEST-1', lines: [{ partId: a.id, quantity: 1, unitCostFen: 1 }] } },
      staff,
    );
    expectError(again, 'CONFLICT');
  });

  it('names the bad line and writes nothing', async () => {
    const a = await createPart(t);
    const before = await count(t, 'SELECT COUNT(*) AS n FROM stock_movement');
    const bad = async (lines: object[], field: string) =>
      expectError(await t.gql(RECEIVE, { i: { supplierId: await firstSupplier(t), lines } }, staff), 'BAD_USER_INPUT', field);
    await bad([], 'input.lines');
    await bad([{ partId: a.id, quantity: 0, unitCostFen: 1 }], 'input.lines.0.quantity');
    await bad(
      [
        { partId: a.id, quantity: 1, unitCostFen: 1 },
        { partId: a.id, quantity: 2, unitCostFen: 1 },
      ],
      'input.lines.1.partId',
    );
    await bad(
      [
        { partId: a.id, quantity: 1, unitCostFen: 1 },
        { partId: '999999', quantity: 2, unitCostFen: 1 },
      ],
      'input.lines.1.partId',
    );
    await bad([{ partId: a.id, quantity: 1, unitCostFen: -5 }], 'input.lines.0.unitCostFen');
    await bad([{ partId: 'abc', quantity: 1, unitCostFen: 1 }], 'input.lines.0.partId');
    expectError(
      await t.gql(RECEIVE, { i: { supplierId: '999999', lines: [{ partId: a.id, quantity: 1, unitCostFen: 1 }] } }, staff),
      'BAD_USER_INPUT',
      'input.supplierId',
    );
    expect(await count(t, 'SELECT COUNT(*) AS n FROM stock_movement')).toBe(before);
  });
});

describe('stock levels', () => {
  it('lists the centre levels below their reorder point', async () => {
    const low = await stockedPart(t, 2, 100, { reorderPoint: 5 });
    const fine = await stockedPart(t, 9, 100, { reorderPoint: 5 });
    const res = await t.gql(
      `{ stockLevels(filter:{belowReorderPoint:true}, first: 200){ edges { node { part { id reorderPoint } onHand belowReorderPoint location { kind } } } } }`,
      {},
      staff,
    );
    const nodes = res.data.stockLevels.edges.map((e: any) => e.node);
    expect(nodes.find((n: any) => n.part.id === low.id)).toEqual({
      part: { id: low.id, reorderPoint: 5 },
      onHand: 2,
      belowReorderPoint: true,
      location: { kind: 'CENTRE' },
    });
    expect(nodes.find((n: any) => n.part.id === fine.id)).toBeUndefined();
    expect(nodes.every((n: any) => n.belowReorderPoint && n.location.kind === 'CENTRE' && n.onHand < n.part.reorderPoint)).toBe(true);
  });

  it('filters by part, location and partner, and pages with a cursor', async () => {
    const part = await stockedPart(t, 20);
    const partners = [await createPartner(t), await createPartner(t), await createPartner(t)];
    for (const p of partners) expect((await issue(t, p.id, [{ partId: part.id, quantity: 2 }])).errors).toBeUndefined();
    const q = `query($f:StockLevelFilter,$after:String){ stockLevels(filter:$f, first: 2, after:$after){ totalCount pageInfo { hasNextPage endCursor } edges { node { onHand location { kind partnerId } } } } }`;
    const page1 = await t.gql(q, { f: { partId: part.id } }, staff);
    expect(page1.data.stockLevels.totalCount).toBe(4);
    expect(page1.data.stockLevels.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(q, { f: { partId: part.id }, after: page1.data.stockLevels.pageInfo.endCursor }, staff);
    const all = [...page1.data.stockLevels.edges, ...page2.data.stockLevels.edges].map((e: any) => e.node);
    expect(all.map((n: any) => n.onHand).sort((x: number, y: number) => x - y)).toEqual([2, 2, 2, 14]);
    const mine = await t.gql(q, { f: { partId: part.id, partnerId: partners[1].id } }, staff);
    expect(mine.data.stockLevels.edges.map((e: any) => e.node)).toEqual([{ onHand: 2, location: { kind: 'PARTNER', partnerId: partners[1].id } }]);
    expectError(await t.gql(q, { f: { partId: 'x' } }, staff), 'BAD_USER_INPUT', 'filter.partId');
    expectError(await t.gql(`{ stockLevels(first: 201){ totalCount } }`, {}, staff), 'BAD_USER_INPUT');
  });

  it('selects the columns the selection reads of levels, parts and locations, and answers as the full rows do', async () => {
    const part = await stockedPart(t, 10, 1234, { models: [{ brand: 'Nokia', model: '1110' }] });
    const p = await createPartner(t);
    expect((await issue(t, p.id, [{ partId: part.id, quantity: 3 }])).errors).toBeUndefined();
    const page = async (sel: string) => {
      t.sql.reset(true);
      const res = await t.gql(`query($f:StockLevelFilter){ stockLevels(filter:$f){ edges { node { ${sel} } } } }`, { f: { partId: part.id } }, staff);
      expect(res.errors).toBeUndefined();
      const statement = t.sql.statements.find((q) => /FROM [`"]?stock_level[`"]? [`"]?sl[`"]?/.test(q)) ?? '';
      const columns = /SELECT (.*?) FROM/
        .exec(statement)![1]
        .replace(/[`"]/g, '')
        .split(', ')
        .map((c) => c.split(' AS ')[0])
        .sort();
      return { nodes: res.data.stockLevels.edges.map((e: any) => e.node), columns };
    };
    const narrow = await page('onHand part { sku } location { name }');
    expect(narrow.columns).toEqual(['jl.id', 'jl.name', 'jp.id', 'jp.sku', 'sl.id', 'sl.locationId', 'sl.onHand', 'sl.partId']);
    expect(narrow.nodes.map((n: any) => n.onHand).sort()).toEqual([3, 7]);

    const PART = 'id sku name category reorderPoint createdAt unitCostFen centreOnHand compatibleModels { brand model }';
    const LOCATION = 'id kind name partnerId partner { code }';
    const FIELDS = `id onHand unitCostFen updatedAt valueFen belowReorderPoint part { ${PART} } location { ${LOCATION} }`;
    const wide = await page(FIELDS);
    expect(wide.nodes).toHaveLength(2);
    for (const node of wide.nodes) {
      const one = await t.gql(
        `query($p: ID!, $l: ID!){ part(id: $p) { ${PART} } location(id: $l) { ${LOCATION} } }`,
        { p: node.part.id, l: node.location.id },
        staff,
      );
      expect(one.errors).toBeUndefined();
      expect(node.part).toEqual(one.data.part);
      expect(node.location).toEqual(one.data.location);
      expect(node.valueFen).toBe(node.onHand * node.unitCostFen);
      expect(node.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // Part's centreOnHand has a resolver that declares nothing it reads: every part column is read.
    expect(wide.columns.filter((c) => c.startsWith('jp.')).length).toBe(t.app.ds.getMetadata('Part').columns.length);
  });

  it('resolves nested parts and locations with a constant number of statements', async () => {
    // One shelf holding 20 parts, each also at the centre: every page has the same shape.
    const p = await createPartner(t);
    for (let i = 0; i < 20; i++) {
      const part = await stockedPart(t, 2, 100 + i, { models: [{ brand: 'Samsung', model: `M${i}` }] });
      expect((await issue(t, p.id, [{ partId: part.id, quantity: 1 }])).errors).toBeUndefined();
    }
    const q = `query($f:StockLevelFilter,$n:Int){ stockLevels(filter:$f, first:$n){ edges { node { onHand valueFen belowReorderPoint
      part { sku unitCostFen centreOnHand compatibleModels { brand } stock { onHand location { name partner { code } } } }
      location { name partner { code } } } } } }`;
    t.sql.reset();
    const small = await t.gql(q, { f: { partnerId: p.id }, n: 2 }, staff);
    const few = t.sql.count;
    t.sql.reset();
    const big = await t.gql(q, { f: { partnerId: p.id }, n: 20 }, staff);
    const many = t.sql.count;
    expect(small.errors).toBeUndefined();
    expect(big.errors).toBeUndefined();
    expect(big.data.stockLevels.edges).toHaveLength(20);
    expect(big.data.stockLevels.edges.every((e: any) => e.node.part.stock.length === 2)).toBe(true);
    expect(many).toBe(few);

    const issues = `query($p:ID,$n:Int){ partsIssues(filter:{partnerId:$p}, first:$n){ edges { node { totalFen partner { code } location { name }
      lines { quantity part { sku compatibleModels { model } } } } } } }`;
    t.sql.reset();
    await t.gql(issues, { p: p.id, n: 2 }, staff);
    const fewIssues = t.sql.count;
    t.sql.reset();
    const allIssues = await t.gql(issues, { p: p.id, n: 20 }, staff);
    expect(allIssues.data.partsIssues.edges).toHaveLength(20);
    expect(t.sql.count).toBe(fewIssues);
  });
});

describe('valuation', () => {
  it('values each location at units × its moving-average cost', async () => {
    const p = await createPartner(t);
    const a = await stockedPart(t, 10, 250);
    const b = await stockedPart(t, 4, 1000);
    expect(
      (
        await issue(t, p.id, [
          { partId: a.id, quantity: 3 },
          { partId: b.id, quantity: 1 },
        ])
      ).errors,
    ).toBeUndefined();
    const res = await t.gql(`query{ stockValuation { totalFen units locations { location { kind partnerId } partCount units valueFen } } }`, {}, staff);
    const v = res.data.stockValuation;
    const shelf = v.locations.find((l: any) => l.location.partnerId === p.id);
    expect(shelf).toEqual({ location: { kind: 'PARTNER', partnerId: p.id }, partCount: 2, units: 4, valueFen: 3 * 250 + 1000 });
    expect(v.locations[0].location.kind).toBe('CENTRE');
    expect(v.totalFen).toBe(v.locations.reduce((s: number, l: any) => s + l.valueFen, 0));
    const sum = await t.app.ds.query(`SELECT SUM(onHand * unitCostFen) AS v FROM stock_level`);
    expect(v.totalFen).toBe(Number(sum[0].v));
  });
});

describe('stocktakes', () => {
  it('posts each difference as an adjustment with its reason, and leaves matching counts alone', async () => {
    const a = await stockedPart(t, 10, 200);
    const b = await stockedPart(t, 5, 300);
    const centre = (await t.gql(`{ locations(filter:{kind: CENTRE}){ edges { node { id } } } }`, {}, staff)).data.locations.edges[0].node.id;
    const res = await t.gql(
      `mutation($i:StocktakeInput!){ recordStocktake(input:$i){ id differenceFen note location { kind } lines { part { id } bookQuantity countedQuantity difference reason } } }`,
      {
        i: {
          locationId: centre,
          note: 'monthly count',
          lines: [
            { partId: a.id, countedQuantity: 8, reason: 'water damage' },
            { partId: b.id, countedQuantity: 5 },
          ],
        },
      },
      staff,
    );
    expect(res.errors).toBeUndefined();
    const st = res.data.recordStocktake;
    expect(st.differenceFen).toBe(-400);
    expect(st.lines).toEqual([
      { part: { id: a.id }, bookQuantity: 10, countedQuantity: 8, difference: -2, reason: 'water damage' },
      { part: { id: b.id }, bookQuantity: 5, countedQuantity: 5, difference: 0, reason: 'monthly count' },
    ]);
    const mv = await t.gql(
      `query($id:ID!){ stockMovements(filter:{documentType: STOCKTAKE, documentId:$id}){ edges { node { kind quantity reason part { id } } } } }`,
      { id: st.id },
      staff,
    );
    expect(mv.data.stockMovements.edges.map((e: any) => e.node)).toEqual([{ kind: 'ADJUSTMENT', quantity: -2, reason: 'water damage', part: { id: a.id } }]);
    expect((await t.gql(`query($id:ID!){ part(id:$id){ centreOnHand } }`, { id: a.id }, staff)).data.part.centreOnHand).toBe(8);
    const list = await t.gql(`{ stocktakes(first: 5){ edges { node { id } } } }`, {}, staff);
    expect(list.data.stocktakes.edges[0].node.id).toBe(st.id);
    await expectLedgersBalance(t);
  });

  it('counts parts found on a shelf that had none on the books', async () => {
    const p = await createPartner(t);
    const a = await stockedPart(t, 1, 640);
    const shelf = (await t.gql(`{ locations(filter:{kind: PARTNER}, first: 200){ edges { node { id partnerId } } } }`, {}, staff)).data.locations.edges
      .map((e: any) => e.node)
      .find((n: any) => n.partnerId === p.id).id;
    const res = await t.gql(
      `mutation($i:StocktakeInput!){ recordStocktake(input:$i){ differenceFen lines { bookQuantity countedQuantity difference unitCostFen } } }`,
      { i: { locationId: shelf, lines: [{ partId: a.id, countedQuantity: 2, reason: 'found' }] } },
      staff,
    );
    expect(res.data.recordStocktake).toEqual({ differenceFen: 1280, lines: [{ bookQuantity: 0, countedQuantity: 2, difference: 2, unitCostFen: 640 }] });
    await expectLedgersBalance(t);
  });

  it('refuses bad counts naming the field, and non-staff', async () => {
    const a = await stockedPart(t, 1);
    const M = `mutation($i:StocktakeInput!){ recordStocktake(input:$i){ id } }`;
    expectError(await t.gql(M, { i: { locationId: '999999', lines: [{ partId: a.id, countedQuantity: 1 }] } }, staff), 'BAD_USER_INPUT', 'input.locationId');
    const centre = (await t.gql(`{ locations(filter:{kind: CENTRE}){ edges { node { id } } } }`, {}, staff)).data.locations.edges[0].node.id;
    expectError(
      await t.gql(M, { i: { locationId: centre, lines: [{ partId: a.id, countedQuantity: -1 }] } }, staff),
      'BAD_USER_INPUT',
      'input.lines.0.countedQuantity',
    );
    expectError(await t.gql(M, { i: { locationId: centre, lines: [{ partId: a.id, countedQuantity: 1 }] } }, await t.token('finance')), 'FORBIDDEN');
  });
});
