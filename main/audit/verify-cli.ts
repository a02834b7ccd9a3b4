/**
 * npm run audit:verify -- --data DIR   (or DATABASE_URL=postgres://… npm run audit:verify)
 * Verifies the audit hash chain and names the first broken entry. Exit code 0 when intact, 1 when broken.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../db';
import { defaultDataDir } from '../base/paths';
import { verifyAuditChain } from './chain';

const { values } = parseArgs({ options: { data: { type: 'string' } }, allowPositionals: false });
const dataDir = values.data ?? defaultDataDir();
const db = await openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL });
try {
  const result = await verifyAuditChain(db.knex);
  if (result.ok) {
    process.stdout.write(`审计链完整：共 ${result.checked} 条记录（${db.file ?? 'PostgreSQL'}）\n`);
  } else {
    process.stdout.write(
      `审计链在第 ${result.firstBroken?.seq} 条处断开：${result.firstBroken?.reason}\n` +
        `（此前 ${result.checked} 条记录完好）\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
