/**
 * openCore on a fresh data folder (SQLite) and a fresh PostgreSQL database: the occupation catalogue is
 * seeded from resources/reference/occupations.json (every code still flagged unverified), demo mode adds
 * an organisation and a sitting with candidates, and opening again never seeds twice.
 */
import { afterEach, expect, it } from 'vitest';
import { openCore, type OpenedCore } from './index';
import type { CoreOptions } from './types';
import reference from '../../resources/reference/occupations.json';
import { validateIdNumber } from '../../shared/domain/id-number';
import { describeEachEngine } from '../../test/support/engines';
import { auditCount, expectChainIntact } from '../../test/support/assertions';

describeEachEngine(
  'openCore',
  (_getDb, target) => {
    const cores: OpenedCore[] = [];
    afterEach(async () => {
      for (const c of cores.splice(0)) await c.close();
    });
    const open = async (demo: boolean): Promise<OpenedCore> => {
      const options: CoreOptions = { ...target.options(), demo, backupIntervalMinutes: 0 };
      const core = await openCore(options);
      cores.push(core);
      return core;
    };
    const close = async (core: OpenedCore) => {
      cores.splice(cores.indexOf(core), 1);
      await core.close();
    };
    const counts = async (core: OpenedCore) => {
      const { knex } = core.services.db;
      const n = async (table: string) =>
        Number((await knex(table).count<{ n: number | string }[]>({ n: '*' }).first())?.n ?? 0);
      return {
        occupations: await n('occupations'),
        organisation: await n('organisation'),
        sittings: await n('sittings'),
        candidates: await n('candidates'),
        audit: await auditCount(knex),
      };
    };

    it('seeds the 12-row occupation catalogue, all unverified, and nothing else when demo is off', async () => {
      const core = await open(false);
      expect(core.services.db.engine).toBe(target.engine);
      const occupations = await core.services.occupations.list();
      expect(reference.occupations).toHaveLength(12);
      expect(occupations).toHaveLength(12);
      expect(occupations.map((o) => o.name).sort()).toEqual(reference.occupations.map((o) => o.name).sort());
      for (const ref of reference.occupations) {
        const o = occupations.find((x) => x.name === ref.name)!;
        expect(o).toMatchObject({ code: ref.code, edition: ref.edition, verified: false, note: ref.note });
        expect(o.levelsOffered).toEqual([1, 2, 3, 4, 5]);
      }
      expect(occupations.some((o) => o.code.includes('??'))).toBe(true); // unknown codes are kept visible
      expect(await core.services.org.get()).toBeNull();
      expect(await counts(core)).toEqual({
        occupations: 12,
        organisation: 0,
        sittings: 0,
        candidates: 0,
        audit: 12,
      });
      await expectChainIntact(core.services.db.knex);
      expect(await core.getSetting('updater.url')).toBeUndefined();
      expect(await core.hasActiveExamSession()).toBe(false);
    });

    it('seeds a demo organisation and a 砌筑工 sitting with 20 valid candidates when demo is on', async () => {
      const core = await open(true);
      const org = await core.services.org.get();
      expect(org).toMatchObject({
        name: '示范市职业技能等级认定中心（演示）',
        siteName: '示范考点（演示数据）',
        provinceCode: '11',
      });
      const sittings = await core.services.sittings.list();
      expect(sittings).toHaveLength(1);
      const sitting = sittings[0]!;
      expect(sitting).toMatchObject({
        occupationName: '砌筑工',
        levels: [3, 4, 5],
        status: 'planned',
        candidateCount: 20,
        components: {
          '3': ['theory', 'practical'],
          '4': ['theory', 'practical'],
          '5': ['theory', 'practical'],
        },
      });
      expect(sitting.name).toContain('演示');
      expect(sitting.startDate > new Date().toISOString().slice(0, 10)).toBe(true);

      const { total, rows } = await core.services.candidates.list({
        sittingId: sitting.id,
        page: 1,
        pageSize: 50,
      });
      expect(total).toBe(20);
      expect(rows.every((r) => /^\d{4}\*{10}[\dX]{4}$/.test(r.idNumber))).toBe(true);
      const full = (await core.services.db.knex('candidates').pluck('id_number')) as string[];
      for (const id of full) expect(validateIdNumber(id).ok, id).toBe(true);
      expect(new Set(full).size).toBe(20);

      // 12 catalogue entries + organisation + sitting + the demo batch itself.
      expect(await counts(core)).toEqual({
        occupations: 12,
        organisation: 1,
        sittings: 1,
        candidates: 20,
        audit: 15,
      });
      const actions = (await core.services.audit.list({ page: 1, pageSize: 5 })).rows.map((r) => r.action);
      expect(actions.slice(0, 3)).toEqual(['demo.seed', 'sittings.create', 'org.update']);
      expect(await core.services.audit.verify()).toEqual({ ok: true, checked: 15, firstBroken: null });
    });

    it('opens again without seeding anything twice', async () => {
      const first = await open(true);
      const before = await counts(first);
      await close(first);
      const again = await open(true);
      expect(await counts(again)).toEqual(before);
      await close(again);
      const third = await open(false);
      expect(await counts(third)).toEqual(before);
      await expectChainIntact(third.services.db.knex);
    });

    it('never mixes demo data into a site that started without it', async () => {
      const real = await open(false);
      await close(real);
      const later = await open(true);
      expect(await counts(later)).toEqual({
        occupations: 12,
        organisation: 0,
        sittings: 0,
        candidates: 0,
        audit: 12,
      });
    });
  },
  { per: 'test', open: false },
);
