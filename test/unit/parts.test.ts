import { normalizeSku, parseCompatibleModels } from '../../src/modules/parts/catalog.service';
import { parseIdempotencyKey } from '../../src/modules/parts/documents.common';
import { revolvingFund } from '../../src/modules/parts/fund.view';
import { matchKey, parseLines, parseQuantity } from '../../src/modules/parts/parts.common';
import { FundExhaustedError, NotEnoughStockError } from '../../src/modules/parts/parts.errors';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { field?: string } }).extensions?.field;
  }
  return undefined;
}

describe('matchKey', () => {
  it('ignores case, spaces and punctuation, keeps letters of any script', () => {
    expect(matchKey('SCH-X199')).toBe(matchKey('sch x199'));
    expect(matchKey('Sony Ericsson')).toBe('sonyericsson');
    expect(matchKey('三星')).toBe('三星');
    expect(matchKey('LG-KX206')).not.toBe(matchKey('KX206'));
  });
});

describe('parseLines', () => {
  it('parses ids and quantities', () => {
    expect(
      parseLines('input.lines', [
        { partId: '7', quantity: 2 },
        { partId: 3, quantity: 1 },
      ]),
    ).toEqual([
      { index: 0, partId: 7, quantity: 2 },
      { index: 1, partId: 3, quantity: 1 },
    ]);
  });

  it('names the offending line and field', () => {
    expect(fieldOf(() => parseLines('input.lines', []))).toBe('input.lines');
    expect(fieldOf(() => parseLines('input.lines', null))).toBe('input.lines');
    expect(
      fieldOf(() =>
        parseLines('input.lines', [
          { partId: '1', quantity: 1 },
          { partId: 'x', quantity: 1 },
        ]),
      ),
    ).toBe('input.lines.1.partId');
    expect(fieldOf(() => parseLines('input.lines', [{ partId: '1', quantity: 1.5 }]))).toBe('input.lines.0.quantity');
    expect(fieldOf(() => parseLines('input.lines', [{ partId: '1', quantity: 0 }]))).toBe('input.lines.0.quantity');
    expect(fieldOf(() => parseLines('input.lines', [{ partId: '1', quantity: 2_000_000 }]))).toBe('input.lines.0.quantity');
    expect(
      fieldOf(() =>
        parseLines('input.lines', [
          { partId: '4', quantity: 1 },
          { partId: '5', quantity: 1 },
          { partId: '4', quantity: 1 },
        ]),
      ),
    ).toBe('input.lines.2.partId');
    expect(
      fieldOf(() =>
        parseLines(
          'input.lines',
          Array.from({ length: 201 }, (_, i) => ({ partId: String(i + 1), quantity: 1 })),
        ),
      ),
    ).toBe('input.lines');
  });

  it('lets a document parse its own line fields', () => {
    const lines = parseLines('input.lines', [{ partId: '1', countedQuantity: 0 }], (l, p) => ({
      quantity: parseQuantity(`${p}.countedQuantity`, l.countedQuantity, { allowZero: true }),
    }));
    expect(lines).toEqual([{ index: 0, partId: 1, quantity: 0 }]);
    expect(
      fieldOf(() =>
        parseLines('input.lines', [{ partId: '1', countedQuantity: -1 }], (l, p) => ({
          quantity: parseQuantity(`${p}.countedQuantity`, l.countedQuantity, { allowZero: true }),
        })),
      ),
    ).toBe('input.lines.0.countedQuantity');
  });
});

describe('catalog input', () => {
  it('normalizes SKUs to upper case and refuses odd ones', () => {
    expect(normalizeSku('input.sku', ' sx199-lcd ')).toBe('SX199-LCD');
    expect(fieldOf(() => normalizeSku('input.sku', 'a'))).toBe('input.sku');
    expect(fieldOf(() => normalizeSku('input.sku', 'has space'))).toBe('input.sku');
    expect(fieldOf(() => normalizeSku('input.sku', '-LEADING'))).toBe('input.sku');
  });

  it('keys compatible models for matching and refuses the same model twice', () => {
    expect(parseCompatibleModels('m', [{ brand: ' Samsung ', model: 'SCH-X199' }])).toEqual([
      { brand: 'Samsung', model: 'SCH-X199', brandKey: 'samsung', modelKey: 'schx199' },
    ]);
    expect(parseCompatibleModels('m', null)).toEqual([]);
    expect(
      fieldOf(() =>
        parseCompatibleModels('m', [
          { brand: 'LG', model: 'KX206' },
          { brand: 'lg', model: 'KX-206' },
        ]),
      ),
    ).toBe('m.1');
    expect(fieldOf(() => parseCompatibleModels('m', [{ brand: '', model: 'x' }]))).toBe('m.0.brand');
    expect(fieldOf(() => parseCompatibleModels('m', [{ brand: 'LG', model: '--' }]))).toBe('m.0.model');
  });

  it('accepts idempotency keys a client would generate', () => {
    expect(parseIdempotencyKey('k', 'order-42:retry.1_a')).toBe('order-42:retry.1_a');
    expect(parseIdempotencyKey('k', null)).toBeNull();
    expect(fieldOf(() => parseIdempotencyKey('k', ''))).toBe('k');
    expect(fieldOf(() => parseIdempotencyKey('k', 'x'.repeat(65)))).toBe('k');
    expect(fieldOf(() => parseIdempotencyKey('k', 'with space'))).toBe('k');
  });
});

describe('revolvingFund view', () => {
  const now = new Date('2025-06-30T00:00:00Z');
  const partner = (over: object) => ({ partnerId: 1, capFen: null, drawnFen: 0, creditedFen: 0, outstandingFen: 0, oldestUnpaidDrawAt: null, ...over });

  it('a partner may draw what is under its cap and what the fund has left, whichever is less', () => {
    const f = revolvingFund(
      {
        limitFen: 6_000_000,
        defaultPartnerCapFen: null,
        outstandingFen: 5_990_000,
        partners: [
          partner({ partnerId: 1, outstandingFen: 5_000 }),
          partner({ partnerId: 2, capFen: 12_000, outstandingFen: 9_000 }),
          partner({ partnerId: 3, capFen: 1_000, outstandingFen: 5_000 }),
        ],
      },
      now,
    );
    expect(f.availableFen).toBe(10_000);
    expect(f.partners.map((p) => p.availableFen)).toEqual([10_000, 3_000, 0]);
  });

  it('a partner without a cap of its own is held to the default cap', () => {
    const f = revolvingFund(
      {
        limitFen: 6_000_000,
        defaultPartnerCapFen: 8_000,
        outstandingFen: 10_000,
        partners: [partner({ outstandingFen: 5_000 }), partner({ partnerId: 2, capFen: 20_000, outstandingFen: 5_000 })],
      },
      now,
    );
    expect(f.partners.map((p) => [p.effectiveCapFen, p.availableFen])).toEqual([
      [8_000, 3_000],
      [20_000, 15_000],
    ]);
  });

  it('never shows a negative availability, and ages debts in whole days', () => {
    const f = revolvingFund(
      {
        limitFen: 100,
        defaultPartnerCapFen: null,
        outstandingFen: 150,
        partners: [partner({ outstandingFen: 150, oldestUnpaidDrawAt: new Date('2025-05-31T01:00:00Z') })],
      },
      now,
    );
    expect(f.availableFen).toBe(0);
    expect(f.partners[0]).toMatchObject({ availableFen: 0, ageDays: 29, partnerId: '1' });
    expect(revolvingFund({ limitFen: 1, defaultPartnerCapFen: null, outstandingFen: 0, partners: [partner({})] }, now).partners[0].ageDays).toBeNull();
  });
});

describe('refusals', () => {
  it('name the part and the shortfall', () => {
    const e = new NotEnoughStockError('the parts centre', { id: 7, sku: 'SX199-LCD' }, 5, 2);
    expect(e.message).toBe('Not enough stock of SX199-LCD at the parts centre: 5 requested, 2 available (short by 3)');
    expect(e.extensions).toMatchObject({ code: 'CONFLICT', partId: '7', sku: 'SX199-LCD', requested: 5, available: 2, shortfall: 3 });
  });

  it('name the fund shortfall, counting an overdrawn fund as nothing available', () => {
    expect(new FundExhaustedError('fund', 7000, 2000).extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'FUND_EXHAUSTED',
      availableFen: 2000,
      shortfallFen: 5000,
    });
    expect(new FundExhaustedError('partnerCap', 3000, -500).extensions).toMatchObject({ reason: 'PARTNER_CAP_EXCEEDED', availableFen: 0, shortfallFen: 3000 });
  });
});
