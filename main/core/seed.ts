import type { Knex } from 'knex';
import { isPostgres } from '../db';
import occupationsRef from '../../resources/reference/occupations.json';
import { idCheckChar } from '../../shared/domain/id-number';
import { defaultComponentsFor, type Level } from '../../shared/domain/levels';
import { SYSTEM_ACTOR, appendAudit } from '../audit/chain';
import { OccupationsService } from '../occupations/occupations.service';
import { OrgService } from '../org/org.service';
import { SittingsService } from '../sittings/sittings.service';
import { candidateToRow } from '../candidates/candidates.service';

/** The occupation catalogue is seeded once into a fresh database (demo or not); administrators edit it. */
export async function seedReferenceData(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    // Several workstations may start at once on one PostgreSQL database: one seeds, the others wait and see it.
    if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(727001)');
    const existing = await trx('occupations').count<{ n: number | string }[]>({ n: '*' }).first();
    if (Number(existing?.n ?? 0) > 0) return;
    for (const o of occupationsRef.occupations) {
      await new OccupationsService(knex).create(
        SYSTEM_ACTOR,
        {
          code: o.code,
          edition: o.edition === '2015' ? '2015' : '2022',
          name: o.name,
          trades: [],
          levelsOffered: [1, 2, 3, 4, 5],
          standardRef: '',
          verified: o.verified,
          note: o.note,
        },
        trx,
      );
    }
  });
}

const DEMO_NAMES = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄强',
  '周杰',
  '吴秀英',
  '徐明',
  '孙丽',
  '马超',
  '朱琳',
  '胡斌',
  '郭婷',
  '何勇',
  '高燕',
  '林峰',
  '罗欢',
];
const DEMO_EMPLOYERS = ['市第一建筑工程有限公司', '城建集团第三分公司', '安居建设有限公司', '个人'];

/** A checksum-valid resident ID number for demo data (北京市朝阳区 110105). */
export function demoIdNumber(birth: string, seq: number, male: boolean): string {
  const s = String(seq * 2 + (male ? 1 : 0))
    .padStart(3, '0')
    .slice(-3);
  const body = `110105${birth.replace(/-/g, '')}${s}`;
  return body + idCheckChar(body);
}

/** Demo data for a fresh data folder: organisation, one sitting of 砌筑工 with candidates. */
export async function seedDemoData(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(727002)');
    if (await trx('sittings').first('id')) return;
    await new OrgService(knex).update(
      SYSTEM_ACTOR,
      {
        name: '示范市职业技能等级认定中心（演示）',
        category: 'S',
        orgCode: '00001',
        provinceCode: '11',
        siteSerial: '01',
        siteName: '示范考点（演示数据）',
        address: '示范市建设路 1 号',
      },
      trx,
    );
    const occ = await trx('occupations').where({ name: '砌筑工' }).first<{ id: number }>('id');
    const levels: Level[] = [3, 4, 5];
    const today = new Date();
    const start = new Date(today.getTime() + 14 * 86400_000).toISOString().slice(0, 10);
    const end = new Date(today.getTime() + 15 * 86400_000).toISOString().slice(0, 10);
    const sitting = await new SittingsService(knex).create(
      SYSTEM_ACTOR,
      {
        name: `${start.slice(0, 4)}年第一批 砌筑工 职业技能等级认定（演示）`,
        occupationId: Number(occ.id),
        trade: '',
        levels,
        components: Object.fromEntries(levels.map((l) => [String(l), defaultComponentsFor(l)])),
        startDate: start,
        endDate: end,
      },
      trx,
    );
    const rows = DEMO_NAMES.map((name, i) => {
      const male = i % 2 === 0;
      const birth = `${1975 + (i % 25)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
      const level = levels[i % levels.length] ?? 5;
      return candidateToRow(
        sitting.id,
        {
          name,
          gender: male ? '男' : '女',
          idType: 'resident_id',
          idNumber: demoIdNumber(birth, i + 1, male),
          birthDate: birth,
          ethnicity: '汉族',
          education: '高中',
          phone: `1380000${String(1000 + i)}`,
          address: null,
          employer: DEMO_EMPLOYERS[i % DEMO_EMPLOYERS.length] ?? null,
          source: '企业',
          appliedLevel: level,
          trade: null,
          eligibilityBasis: null,
          priorCertNo: null,
          yearsInOccupation: 2 + (i % 10),
          admissionTicketNo: `${start.replace(/-/g, '')}${String(i + 1).padStart(4, '0')}`,
        },
        null,
      );
    });
    await trx('candidates').insert(rows);
    await appendAudit(trx, {
      actor: SYSTEM_ACTOR,
      action: 'demo.seed',
      entity: 'sitting',
      entityId: sitting.id,
      after: { candidates: rows.length },
    });
  });
}
