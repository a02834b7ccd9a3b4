import { changeAtIso, type Kernel } from '../base/kernel';
import { isPostgres } from '../db';
import occupationsRef from '../../resources/reference/occupations.json';
import { defaultComponentsFor, type Level } from '../../shared/domain/levels';
import { SYSTEM_ACTOR, appendAudit } from '../audit/chain';
import { OccupationsService } from '../occupations/occupations.service';
import { OrgService } from '../org/org.service';
import { SittingsService } from '../sittings/sittings.service';
import { candidateToRow } from '../candidates/candidates.service';
import { demoPeople } from './demo-people';

/** The occupation catalogue is seeded once into a fresh database (demo or not); administrators edit it. */
export async function seedReferenceData(kernel: Kernel): Promise<void> {
  await kernel.transaction(async (trx) => {
    // Several workstations may start at once on one PostgreSQL database: one seeds, the others wait and see it.
    if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(727001)');
    const existing = await trx('occupations').count<{ n: number | string }[]>({ n: '*' }).first();
    if (Number(existing?.n ?? 0) > 0) return;
    for (const o of occupationsRef.occupations) {
      await new OccupationsService(kernel).create(
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

/** Demo data for a fresh data folder: organisation, one sitting of 砌筑工 with candidates. */
export async function seedDemoData(kernel: Kernel): Promise<void> {
  await kernel.transaction(async (trx) => {
    if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(727002)');
    if (await trx('sittings').first('id')) return;
    await new OrgService(kernel).update(
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
    const today = kernel.now();
    const start = new Date(today.getTime() + 14 * 86400_000).toISOString().slice(0, 10);
    const end = new Date(today.getTime() + 15 * 86400_000).toISOString().slice(0, 10);
    const sitting = await new SittingsService(kernel).create(
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
    const rows = demoPeople(start).map((p) =>
      candidateToRow(
        sitting.id,
        {
          name: p.name,
          gender: p.gender,
          idType: 'resident_id',
          idNumber: p.idNumber,
          birthDate: p.birthDate,
          ethnicity: '汉族',
          education: '高中',
          phone: p.phone,
          address: null,
          employer: p.employer,
          source: '企业',
          appliedLevel: p.level,
          trade: null,
          eligibilityBasis: null,
          priorCertNo: null,
          yearsInOccupation: p.years,
          admissionTicketNo: p.admissionTicketNo,
        },
        null,
        changeAtIso(trx),
      ),
    );
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
