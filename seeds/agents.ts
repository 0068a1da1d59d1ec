import { EntityManager } from 'typeorm';
import { Network } from '../src/common/network';
import { toDbDate } from '../src/common/db';
import { SHANGHAI_OFFSET_MS } from '../src/common/period';
import { intBetween, pick, seededRandom } from '../src/common/random';
import { withCheckChar } from '../src/common/validators/id-card';
import type { AppConfig } from '../src/config';
import { Agent, AgentKind, AgentStatus } from '../src/modules/agents/agent.entity';
import { AgentStatusChange } from '../src/modules/agents/agent-status-change.entity';
import { identityCipher } from '../src/modules/agents/identity-crypto';
import { prepareRecord, RecordFields, storeRecords } from '../src/modules/agents/registration-ingest';
import { IdType, RegistrationStatus } from '../src/modules/agents/registration.entity';
import { TariffPlan } from '../src/modules/agents/tariff-plan.entity';
import { REGIONS } from './regions';

/** The operator's CDMA (C網) and GSM (G網) plans of the time: prepaid 如意通, youth 新勢力, premium 世界風, 新時空. */
export const TARIFF_PLANS: { code: string; name: string; network: Network; monthlyFeeFen: number }[] = [
  { code: 'CDMA-RYT', name: 'C網 如意通 預付費', network: Network.CDMA, monthlyFeeFen: 0 },
  { code: 'CDMA-XSK-39', name: 'C網 新時空 39元套餐', network: Network.CDMA, monthlyFeeFen: 3900 },
  { code: 'CDMA-1X-69', name: 'C網 1X 數據 69元套餐', network: Network.CDMA, monthlyFeeFen: 6900 },
  { code: 'CDMA-XSK-99', name: 'C網 新時空 商務 99元套餐', network: Network.CDMA, monthlyFeeFen: 9900 },
  { code: 'GSM-RYT', name: 'G網 如意通 預付費', network: Network.GSM, monthlyFeeFen: 0 },
  { code: 'GSM-XSL-19', name: 'G網 新勢力 19元套餐', network: Network.GSM, monthlyFeeFen: 1900 },
  { code: 'GSM-BASIC-25', name: 'G網 基本 25元套餐', network: Network.GSM, monthlyFeeFen: 2500 },
  { code: 'GSM-SJF-88', name: 'G網 世界風 88元套餐', network: Network.GSM, monthlyFeeFen: 8800 },
];

/** Region codes of the resident id numbers issued in each of the eight regions. */
export const ID_REGION_CODES: Record<string, string> = {
  SHASHI: '421002',
  JINGZHOU: '421003',
  SONGZI: '421087',
  GONGAN: '421022',
  SHISHOU: '421081',
  JIANLI: '421023',
  HONGHU: '421083',
  JIANGLING: '421024',
};

/** Number prefixes: CDMA lines on 133/153, GSM on 130/131/132/156. */
export const MSISDN_PREFIXES: Record<Network, string[]> = { [Network.CDMA]: ['133', '153'], [Network.GSM]: ['130', '131', '132', '156'] };

export async function seedAgentsReference(em: EntityManager, _config: AppConfig): Promise<void> {
  await em.getRepository(TariffPlan).insert(TARIFF_PLANS);
}

/** The demo records are opened in these Asia/Shanghai months (the audits and commission demos use them). */
export const DEMO_PERIODS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
export const DEMO_AGENT_COUNT = 120;
export const DEMO_RECORD_COUNT = 4000;

const STREETS = ['北京路', '中山路', '荊中路', '江漢路', '解放路', '人民路', '長江路', '太岳路', '塔橋路', '園林路', '豉湖路', '沙隆達'];
const SHOPS = ['通訊', '手機城', '數碼', '電訊', '移動通信', '通訊器材'];
const SURNAMES = ['王', '李', '張', '劉', '陳', '楊', '黃', '趙', '周', '吳', '徐', '孫', '胡', '朱', '高', '林', '何', '郭', '馬', '羅'];
const GIVEN = [
  '偉',
  '芳',
  '娜',
  '敏',
  '靜',
  '麗',
  '強',
  '磊',
  '軍',
  '洋',
  '勇',
  '艷',
  '傑',
  '娟',
  '濤',
  '明',
  '超',
  '秀英',
  '華',
  '建國',
  '紅梅',
  '志強',
  '春燕',
  '海波',
];
/** City districts have more outlets than counties (weights by region id order). */
const REGION_WEIGHTS = [24, 20, 13, 13, 12, 14, 13, 11];

function shanghai(year: number, month: number, day: number, hour: number, minute: number): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI_OFFSET_MS);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * 120 agents across the eight regions (AGT-0001, the demo user agent1's, is a partner hall in
 * Shashi), a few suspended or terminated with their reasons, and 4,000 customer records over the
 * first half of 2025, entered through the same validation and encryption as the API, with a
 * realistic share of flags: mistyped or fake identity numbers, under-age customers, late entry,
 * and a handful of identities holding lines at many outlets. Activation times shrink month by
 * month, as they did once activation moved into the partner halls.
 */
export async function seedAgentsDemo(em: EntityManager, config: AppConfig): Promise<void> {
  const rand = seededRandom('agents-demo');
  const created = new Date(Date.UTC(2024, 11, 1));
  const regionPool = REGIONS.flatMap((r, i) => Array(REGION_WEIGHTS[i]).fill(r));
  const agents = Array.from({ length: DEMO_AGENT_COUNT }, (_, i) => {
    const n = i + 1;
    const region = n === 1 ? REGIONS[0] : regionPool[Math.floor(rand() * regionPool.length)];
    const kind = n === 1 || n % 10 === 0 ? AgentKind.FRANCHISE_HALL : n % 7 === 0 ? AgentKind.DEALER : AgentKind.OUTLET;
    const suffix = kind === AgentKind.FRANCHISE_HALL ? '合作營業廳' : `${pick(rand, SHOPS)}${kind === AgentKind.DEALER ? '代理' : '店'}`;
    return {
      code: `AGT-${pad(n, 4)}`,
      name: `${region.name}${pick(rand, STREETS)}${suffix}`,
      kind,
      status: AgentStatus.ACTIVE,
      statusReason: null,
      statusChangedAt: null,
      regionId: region.id,
      contactName: `${pick(rand, SURNAMES)}${pick(rand, GIVEN)}`,
      contactPhone: `0716-${intBetween(rand, 8100000, 8899999)}`,
      commissionPerActivationFen: kind === AgentKind.FRANCHISE_HALL ? 4000 : kind === AgentKind.DEALER ? 3000 : 2500,
      riskScore: 0,
      createdAt: created,
      updatedAt: null,
    };
  });
  for (let i = 0; i < agents.length; i += 200) await em.getRepository(Agent).insert(agents.slice(i, i + 200));
  const ids: { id: number; code: string }[] = await em.query(`SELECT id, code FROM agent WHERE code LIKE 'AGT-%' ORDER BY code`);
  const agentIds = ids.map((r) => Number(r.id));

  // Records go to agents in proportion to their size: halls sell most, outlets least.
  const weighted = agents.flatMap((a, i) => Array(a.kind === AgentKind.FRANCHISE_HALL ? 6 : a.kind === AgentKind.DEALER ? 3 : 2).fill(i));
  const plansBy = {
    [Network.CDMA]: TARIFF_PLANS.filter((p) => p.network === Network.CDMA),
    [Network.GSM]: TARIFF_PLANS.filter((p) => p.network === Network.GSM),
  };
  const usedNumbers = new Set<string>();
  const ringIds = Array.from({ length: 5 }, (_, i) => withCheckChar(`${ID_REGION_CODES.SHASHI}1978${pad(3 + i, 2)}${pad(10 + i, 2)}${pad(101 + i, 3)}`));
  type Planned = { agentIndex: number; fields: RecordFields; fate: 'active' | 'pending' | 'reject' | 'cancel' };
  const planned: Planned[] = [];
  for (let k = 0; k < DEMO_RECORD_COUNT; k++) {
    const agentIndex = k < 40 ? 0 : weighted[Math.floor(rand() * weighted.length)];
    const region = REGIONS.find((r) => r.id === agents[agentIndex].regionId)!;
    const month = 1 + Math.floor((k / DEMO_RECORD_COUNT) * 6);
    const day = intBetween(rand, 1, month === 2 ? 28 : 30);
    const openedAt = shanghai(2025, month, day, intBetween(rand, 9, 19), intBetween(rand, 0, 59));
    const network = rand() < 0.55 ? Network.CDMA : Network.GSM;
    let msisdn: string;
    do msisdn = `${pick(rand, MSISDN_PREFIXES[network])}${pad(intBetween(rand, 0, 99_999_999), 8)}`;
    while (usedNumbers.has(msisdn));
    usedNumbers.add(msisdn);

    const roll = rand();
    let idType = IdType.RESIDENT_ID;
    let idNumber: string;
    const birthYear = intBetween(rand, 1945, 2003);
    const base = `${ID_REGION_CODES[region.code]}${birthYear}${pad(intBetween(rand, 1, 12), 2)}${pad(intBetween(rand, 1, 28), 2)}${pad(intBetween(rand, 0, 999), 3)}`;
    if (roll < 0.03) {
      // A mistyped or made-up number: the check character does not match.
      const good = withCheckChar(base);
      idNumber = base + (good[17] === '0' ? '1' : '0');
    } else if (roll < 0.04) {
      idNumber = withCheckChar(`${ID_REGION_CODES[region.code]}${birthYear}${pick(rand, ['1330', '0230', '0431', '0011'])}${pad(intBetween(rand, 0, 999), 3)}`);
    } else if (roll < 0.05) {
      idNumber = withCheckChar(
        `${ID_REGION_CODES[region.code]}${intBetween(rand, 2010, 2012)}${pad(intBetween(rand, 1, 12), 2)}${pad(intBetween(rand, 1, 28), 2)}${pad(intBetween(rand, 0, 999), 3)}`,
      );
    } else if (roll < 0.06) {
      idNumber = ringIds[Math.floor(rand() * ringIds.length)];
    } else if (roll < 0.07) {
      idType = IdType.PASSPORT;
      idNumber = `E${pad(intBetween(rand, 0, 99_999_999), 8)}`;
    } else {
      idNumber = withCheckChar(base);
    }

    // Entry took minutes; 8% of records were typed in days later (錄入不及時).
    const late = rand() < 0.08;
    const submittedAt = new Date(openedAt.getTime() + (late ? intBetween(rand, 26, 120) * 3600_000 : intBetween(rand, 2, 90) * 60_000));
    // Activation by phone took hours in January; in the partner halls it takes minutes by June.
    const activationMinutes = Math.max(2, Math.round((7 - month) * (7 - month) * 12 * (0.3 + rand())));
    const activatedAt = new Date(submittedAt.getTime() + activationMinutes * 60_000);
    const fateRoll = rand();
    const lastFortnight = month === 6 && day > 16;
    const fate: Planned['fate'] =
      roll < 0.03 && fateRoll < 0.5
        ? 'reject'
        : lastFortnight && fateRoll < 0.6
          ? 'pending'
          : fateRoll < 0.02
            ? 'reject'
            : fateRoll < 0.04
              ? 'cancel'
              : 'active';
    planned.push({
      agentIndex,
      fate,
      fields: {
        msisdn,
        network,
        customerName: `${pick(rand, SURNAMES)}${pick(rand, GIVEN)}`,
        idType,
        idNumber,
        tariffPlanCode: pick(rand, plansBy[network]).code,
        openedAt: openedAt.toISOString(),
        submittedAt: submittedAt.toISOString(),
        activatedAt: fate === 'active' || fate === 'cancel' ? activatedAt.toISOString() : null,
      },
    });
  }

  const env = { cipher: identityCipher(config), plans: new Map(TARIFF_PLANS.map((p) => [p.code, p])), now: new Date(), history: true };
  for (let i = 0; i < planned.length; i += 1000) {
    const batch = planned.slice(i, i + 1000);
    const prepared = batch.map((p) => prepareRecord(agentIds[p.agentIndex], p.fields, env));
    const outcomes = await storeRecords(em, prepared, (j) => `demo record ${i + j}`);
    const bad = outcomes.findIndex((o) => o.kind !== 'inserted');
    if (bad >= 0) throw new Error(`demo record ${i + bad} was not stored: ${JSON.stringify(outcomes[bad])}`);
  }

  const closedAt = toDbDate(shanghai(2025, 6, 30, 18, 0));
  const rejected = planned.filter((p) => p.fate === 'reject').map((p) => p.fields.msisdn!);
  const cancelled = planned.filter((p) => p.fate === 'cancel').map((p) => p.fields.msisdn!);
  for (const [list, status, reason] of [
    [rejected, RegistrationStatus.REJECTED, '身份證件核對不符 (identity document could not be verified)'],
    [cancelled, RegistrationStatus.CANCELLED, '客戶申請銷號 (customer closed the line)'],
  ] as const) {
    for (let i = 0; i < list.length; i += 500) {
      const part = list.slice(i, i + 500);
      await em.query(
        `UPDATE registration SET status = ?, statusReason = ?, statusChangedAt = ?, activeMsisdn = NULL WHERE msisdn IN (${part.map(() => '?').join(',')})`,
        [status, reason, closedAt, ...part],
      );
    }
  }

  // A few agents stopped trading or were caught out; their reasons are kept.
  const changes: [number, AgentStatus, string][] = [
    [117, AgentStatus.SUSPENDED, '多次虛假開戶，暫停代辦資格待查 (repeated fake-identity openings under investigation)'],
    [118, AgentStatus.SUSPENDED, '資料錄入嚴重滯後 (records entered weeks late)'],
    [119, AgentStatus.TERMINATED, '合同到期不再續約 (contract ended)'],
    [120, AgentStatus.TERMINATED, '經營者停業 (outlet closed)'],
  ];
  const at = shanghai(2025, 6, 20, 10, 0);
  for (const [n, status, reason] of changes) {
    const agentId = agentIds[n - 1];
    await em.getRepository(Agent).update({ id: agentId }, { status, statusReason: reason, statusChangedAt: at, updatedAt: at });
    await em.getRepository(AgentStatusChange).insert({
      agentId,
      fromStatus: AgentStatus.ACTIVE,
      toStatus: status,
      reason,
      at,
      actorId: null,
      actorName: 'staff',
    });
  }
}
