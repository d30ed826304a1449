/** What every command shares: the service's module graph without HTTP workers, and how import problems are printed. */
import { NestFactory } from '@nestjs/core';
import type { ImportProblem } from '../application/import/directory-import';
import { AppModule } from '../infrastructure/app.module';
import { loadConfig } from '../infrastructure/config/app-config';

export function printProblems(problems: readonly ImportProblem[]): void {
  process.stderr.write(`导入文件有 ${problems.length} 处错误，未写入任何数据：\n`);
  for (const problem of problems) process.stderr.write(`  ${problem.sheet} 第 ${problem.line} 行：${problem.reason}\n`);
}

/** The service's module graph without HTTP and without the policy engine (that is the service's job). */
export async function withApp<T>(
  work: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>,
): Promise<T> {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    POLICIES_ENABLED: 'false',
    PROJECTIONS_ENABLED: 'false',
    INTEGRITY_CHECKPOINTS_ENABLED: 'false',
    // The CLI's writes are bulk (generate, import): fewer checkpoints, each page written into the file once.
    EVENT_STORE_WAL_CHECKPOINT_PAGES: process.env.EVENT_STORE_WAL_CHECKPOINT_PAGES ?? '16384',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
