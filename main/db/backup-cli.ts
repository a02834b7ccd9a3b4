/**
 * npm run backup  -- --data DIR [--to BACKUP_DIR]
 * npm run restore -- --data DIR --from BACKUP_FILE     (stop the application first)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from './index';
import { backupSqlite, restoreSqlite } from './backup';
import { defaultDataDir } from '../base/paths';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { data: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' } },
});
const dataDir = values.data ?? defaultDataDir();

if (command === 'backup') {
  const db = await openDatabase({ dataDir });
  try {
    const b = await backupSqlite(db.knex, values.to ?? path.join(dataDir, 'backups'));
    process.stdout.write(`已备份：${b.fileName}（${b.sizeBytes} 字节，完整性检查：${b.integrity}）\n`);
  } finally {
    await db.close();
  }
} else if (command === 'restore') {
  if (!values.from) {
    process.stderr.write('请用 --from 指定备份文件\n');
    process.exit(2);
  }
  const r = await restoreSqlite(dataDir, values.from);
  const db = await openDatabase({ dataDir }); // runs quick_check and any newer migrations
  await db.close();
  process.stdout.write(
    `已从 ${r.restoredFrom} 恢复。${r.previousSavedAs ? `原数据库已保存为 ${r.previousSavedAs}。` : ''}\n`,
  );
} else {
  process.stderr.write('用法：backup-cli.ts backup|restore --data DIR [--to DIR] [--from FILE]\n');
  process.exit(2);
}
