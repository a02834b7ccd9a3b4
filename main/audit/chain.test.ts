/**
 * The audit hash chain on both engines: entries appended in transactions verify; every kind of tampering
 * done directly in SQL (edit, delete in the middle, reorder, delete at the end) is detected and the first
 * broken entry is named; an entry commits together with the change it records or not at all; and the
 * command-line verifier reports the same to an operator with its exit code.
 */
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, SYSTEM_ACTOR, appendAudit, entryHash, verifyAuditChain, type AuditRow } from './chain';
import { describeEachEngine } from '../../test/support/engines';
import { runTsx } from '../../test/support/cli';
import { auditCount, auditEntriesSince } from '../../test/support/assertions';
import { kernelOf } from '../../test/support/kernel';

const N = 8;
const ACTOR = { id: 7, name: '王考务（wang）' };

async function appendMany(knex: Knex, n: number): Promise<void> {
  for (let i = 1; i <= n; i += 1) {
    await kernelOf(knex).transaction(async (trx) => {
      await trx('settings').insert({ key: `s${i}`, value: String(i) });
      await appendAudit(trx, {
        actor: i % 2 === 0 ? ACTOR : SYSTEM_ACTOR,
        action: 'settings.set',
        entity: 'setting',
        entityId: `s${i}`,
        before: null,
        after: { value: i, note: '中文内容' },
      });
    });
  }
}

async function head(knex: Knex): Promise<{ seq: number; hash: string }> {
  const h = await knex('audit_head').where({ id: 1 }).first<{ seq: number; hash: string }>('seq', 'hash');
  return { seq: Number(h.seq), hash: h.hash };
}

describe('entryHash', () => {
  const row: Omit<AuditRow, 'hash'> = {
    seq: 1,
    at: '2026-11-22T08:00:00.000Z',
    actor_id: null,
    actor_name: '系统',
    action: 'x',
    entity: 'y',
    entity_id: null,
    before: null,
    after: '{"a":1}',
    prev_hash: GENESIS_HASH,
  };
  it('is a sha-256 hex digest that changes with every stored field', () => {
    const h = entryHash(row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const variants: Array<Partial<Omit<AuditRow, 'hash'>>> = [
      { seq: 2 },
      { at: '2026-11-22T08:00:00.001Z' },
      { actor_id: 1 },
      { actor_name: '系统2' },
      { action: 'x2' },
      { entity: 'y2' },
      { entity_id: '1' },
      { before: '{}' },
      { after: '{"a":2}' },
      { prev_hash: '1'.repeat(64) },
    ];
    for (const v of variants) expect(entryHash({ ...row, ...v }), JSON.stringify(v)).not.toBe(h);
  });
  it('treats an actor id read back as a string (PostgreSQL bigint) like the number', () => {
    expect(entryHash({ ...row, actor_id: '5' as unknown as number })).toBe(
      entryHash({ ...row, actor_id: 5 }),
    );
  });
});

describeEachEngine(
  'audit chain',
  (getDb, target) => {
    it('verifies an intact chain of entries appended in transactions, each linked to the previous one', async () => {
      const { knex } = getDb();
      expect(await verifyAuditChain(knex)).toEqual({ ok: true, checked: 0, firstBroken: null });
      await appendMany(knex, N);
      expect(await verifyAuditChain(knex)).toEqual({ ok: true, checked: N, firstBroken: null });
      const rows = await auditEntriesSince(knex, 0);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
      for (let i = 1; i < N; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(rows[1]).toMatchObject({ actor_id: 7, actor_name: '王考务（wang）', entity_id: 's2' });
      expect(JSON.parse(rows[1]!.after!)).toEqual({ value: 2, note: '中文内容' });
      expect(await head(knex)).toEqual({ seq: N, hash: rows[N - 1]!.hash });
    });

    it('verifies across batch boundaries', async () => {
      const { knex } = getDb();
      await appendMany(knex, 7);
      expect(await verifyAuditChain(knex, 3)).toEqual({ ok: true, checked: 7, firstBroken: null });
      await knex('audit_log').where({ seq: 5 }).update({ actor_name: 'x' });
      expect((await verifyAuditChain(knex, 2)).firstBroken?.seq).toBe(5);
    });

    it('names an edited entry (its after changed) as the first broken one', async () => {
      const { knex } = getDb();
      await appendMany(knex, N);
      await knex('audit_log')
        .where({ seq: 4 })
        .update({ after: JSON.stringify({ value: 400, note: '中文内容' }) });
      expect(await verifyAuditChain(knex)).toEqual({
        ok: false,
        checked: 3,
        firstBroken: { seq: 4, reason: '第 4 条记录的内容与其哈希不符（记录被修改）' },
      });
    });

    it('catches an edit whose hash was recomputed at the next entry (the link no longer matches)', async () => {
      const { knex } = getDb();
      await appendMany(knex, N);
      const row = (await auditEntriesSince(knex, 3))[0]!;
      const { hash: _old, ...rest } = { ...row, after: '{"value":400}' };
      await knex('audit_log')
        .where({ seq: 4 })
        .update({ after: rest.after, hash: entryHash(rest) });
      expect(await verifyAuditChain(knex)).toEqual({
        ok: false,
        checked: 4,
        firstBroken: { seq: 5, reason: '第 5 条记录与前一条记录的链接不符（记录被删除、插入或调换了顺序）' },
      });
    });

    it('names a deleted entry in the middle by its missing sequence number', async () => {
      const { knex } = getDb();
      await appendMany(knex, N);
      await knex('audit_log').where({ seq: 3 }).delete();
      expect(await verifyAuditChain(knex)).toEqual({
        ok: false,
        checked: 2,
        firstBroken: { seq: 3, reason: '第 3 条记录缺失（已被删除）' },
      });
    });

    it('names the lower of two entries whose sequence numbers were swapped', async () => {
      const { knex } = getDb();
      await appendMany(knex, N);
      await kernelOf(knex).transaction(async (trx) => {
        await trx('audit_log').where({ seq: 3 }).update({ seq: -1 });
        await trx('audit_log').where({ seq: 6 }).update({ seq: 3 });
        await trx('audit_log').where({ seq: -1 }).update({ seq: 6 });
      });
      expect(await verifyAuditChain(knex)).toEqual({
        ok: false,
        checked: 2,
        firstBroken: { seq: 3, reason: '第 3 条记录与前一条记录的链接不符（记录被删除、插入或调换了顺序）' },
      });
    });

    it('detects the newest entry deleted through the chain head', async () => {
      const { knex } = getDb();
      await appendMany(knex, N);
      await knex('audit_log').where({ seq: N }).delete();
      expect(await verifyAuditChain(knex)).toEqual({
        ok: false,
        checked: N - 1,
        firstBroken: { seq: N, reason: `最后 1 条记录缺失（自第 ${N} 条起被删除）` },
      });
    });

    it('detects the newest entries deleted together with the head being rolled back to a wrong hash', async () => {
      const { knex } = getDb();
      await appendMany(knex, N);
      await knex('audit_log')
        .where('seq', '>', N - 2)
        .delete();
      await knex('audit_head')
        .where({ id: 1 })
        .update({ seq: N - 2 });
      expect(await verifyAuditChain(knex)).toEqual({
        ok: false,
        checked: N - 2,
        firstBroken: { seq: N - 1, reason: '审计链头与最后一条记录不符（链头或记录被改动）' },
      });
    });

    it('commits an entry together with the change it records: a rolled-back transaction leaves neither', async () => {
      const { knex } = getDb();
      await appendMany(knex, 2);
      const headBefore = await head(knex);
      await expect(
        kernelOf(knex).transaction(async (trx) => {
          await trx('settings').insert({ key: 'rolled-back', value: '1' });
          await appendAudit(trx, {
            actor: ACTOR,
            action: 'settings.set',
            entity: 'setting',
            entityId: 'rolled-back',
          });
          throw new Error('失败：模拟写入中途出错');
        }),
      ).rejects.toThrow('失败：模拟写入中途出错');
      expect(await auditCount(knex)).toBe(2);
      expect(await knex('settings').where({ key: 'rolled-back' }).first()).toBeUndefined();
      expect(await head(knex)).toEqual(headBefore);
      // The next entry continues the chain where the committed part ended.
      await appendMany(knex, 1).catch(() => undefined); // key s1 exists: fails and rolls back again
      expect(await auditCount(knex)).toBe(2);
      await kernelOf(knex).transaction((trx) =>
        appendAudit(trx, { actor: ACTOR, action: 'x.y', entity: 'z' }),
      );
      expect(await verifyAuditChain(knex)).toEqual({ ok: true, checked: 3, firstBroken: null });
    });

    it('keeps one unbroken chain when many transactions append at the same time', async () => {
      const { knex } = getDb();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          kernelOf(knex).transaction((trx) =>
            appendAudit(trx, { actor: ACTOR, action: 'concurrent', entity: 'e', entityId: i }),
          ),
        ),
      );
      expect(await verifyAuditChain(knex)).toEqual({ ok: true, checked: 12, firstBroken: null });
      const ids = (await auditEntriesSince(knex, 0)).map((r) => Number(r.entity_id)).sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => i));
    });

    describe('npm run audit:verify', () => {
      const cliEnv = () =>
        target.engine === 'postgres'
          ? { DATABASE_URL: target.options().databaseUrl }
          : { DATABASE_URL: undefined };

      it('exits 0 and reports the chain intact, then exits 1 naming the first broken entry after tampering', async () => {
        const { knex } = getDb();
        await appendMany(knex, 5);
        const good = await runTsx('main/audit/verify-cli.ts', ['--data', target.options().dataDir], cliEnv());
        expect(good.stderr).toBe('');
        expect(good.code).toBe(0);
        const where = target.engine === 'postgres' ? 'PostgreSQL' : getDb().file!;
        expect(good.stdout).toBe(`审计链完整：共 5 条记录（${where}）\n`);

        await knex('audit_log').where({ seq: 2 }).update({ actor_name: '冒名者' });
        const bad = await runTsx('main/audit/verify-cli.ts', ['--data', target.options().dataDir], cliEnv());
        expect(bad.code).toBe(1);
        expect(bad.stdout).toBe(
          '审计链在第 2 条处断开：第 2 条记录的内容与其哈希不符（记录被修改）\n（此前 1 条记录完好）\n',
        );
      });
    });
  },
  { per: 'test' },
);
