/** `backup` and `restore` of the embedded store (EventStoreDB and MongoDB are backed up with their own tools). */
import { loadConfig } from '../infrastructure/config/app-config';
import { backupEmbedded, restoreEmbedded } from '../infrastructure/backup/embedded-backup';
import type { Command } from 'commander';
import { rebuildCommand } from './rebuild';

/** The embedded store's files; EventStoreDB and MongoDB are backed up with their own tools (docs/operations.md). */
function embeddedDataDir(action: string): string | null {
  const config = loadConfig(process.env);
  if (config.esdbConnectionString) {
    process.stderr.write(
      `已配置 EventStoreDB：${action}请用其自带工具（见 docs/operations.md），本命令只处理内置存储\n`,
    );
    return null;
  }
  return config.dataDir;
}

async function backupCommand(target: string): Promise<number> {
  const dataDir = embeddedDataDir('备份');
  if (dataDir === null) return 2;
  const manifest = backupEmbedded(dataDir, target, new Date());
  process.stderr.write(
    `已备份 ${manifest.events} 个事件（链头位置 ${manifest.headPosition ?? '无'}）到 ${target}；可在服务运行时执行\n`,
  );
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  return 0;
}

async function restoreCommand(source: string, options: { replace?: boolean }): Promise<number> {
  const dataDir = embeddedDataDir('恢复');
  if (dataDir === null) return 2;
  const { manifest, movedAside } = await restoreEmbedded(source, dataDir, new Date(), options.replace === true);
  // The chain was checked on the very file now in place (checked, then renamed): not read a second time.
  process.stderr.write(`哈希链完整：${manifest.events} 个事件，链头 ${manifest.headHash}\n`);
  process.stderr.write(
    `已从 ${source} 恢复 ${manifest.events} 个事件到 ${dataDir}（备份时间 ${manifest.createdAt}）\n`,
  );
  for (const file of movedAside) process.stderr.write(`  原文件已改名保留：${file}\n`);
  process.stderr.write('正在重建读模型…\n');
  return rebuildCommand([], { quiet: true });
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description(
      'Online backup of the embedded event store (and the keys beside it) into a new directory, while the service runs',
    )
    .argument('<dir>', 'a new, empty directory')
    .action(async (dir: string) => {
      process.exitCode = await backupCommand(dir);
    });

  program
    .command('restore')
    .description(
      "Check a backup (checksum, hash chain), put it in place as DATA_DIR's event store, then rebuild the read models; the service must be stopped",
    )
    .argument('<dir>', 'a directory written by backup')
    .option('--replace', 'replace an existing store (its files are renamed, not deleted)')
    .action(async (dir: string, options: { replace?: boolean }) => {
      process.exitCode = await restoreCommand(dir, options);
    });
}
