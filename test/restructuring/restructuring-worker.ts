/**
 * A process that seeds or restructures a store file, for the SIGKILL test beside it:
 *   node -r @swc-node/register restructuring-worker.ts <file> seed <people>
 *   node -r @swc-node/register restructuring-worker.ts <file> merge|abolish
 * It prints "ready" before the restructuring starts; the test kills it somewhere after that.
 */
import { randomUUID } from 'node:crypto';
import { type CommandMetadata, DeciderCommandRunner } from '../../src/application/commands/decider-command-runner';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { ChineseWorkingDayCalendar } from '../../src/infrastructure/calendar/chinese-working-day-calendar';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SYSTEM_ADMIN } from '../support/decider-specification';
import { servicesOnStore } from '../support/services';

export const WORKER_META: CommandMetadata = {
  actor: SYSTEM_ADMIN,
  jurisdiction: 'qingpu',
  sourceRef: '青编〔2025〕7号',
};
export const MERGE = {
  mergeId: 'merge-kill',
  absorbedIds: ['health'],
  survivorId: 'edu',
  namesakes: { 'health-zh': { resolution: 'MERGE' as const } },
};
export const ABOLITION = {
  operationId: 'abolition-kill',
  orgNodeId: 'health',
  childrenTo: 'agencies',
  departureReason: 'OTHER' as const,
};

export function platformOn(file: string) {
  const store = new SqliteEventStore({ file });
  const clock = { now: () => new Date() };
  const ids = { next: () => randomUUID() };
  const runner = new DeciderCommandRunner(store, clock, ids);
  return { store, platform: servicesOnStore(runner, store, clock, ids, new ChineseWorkingDayCalendar(), 'qingpu') };
}

const idNumber = (n: number) => {
  // An odd sequence number (a man, as gender 1 says), 500 a month of birth.
  const id17 = `3101181980${String(Math.floor(n / 500) + 1).padStart(2, '0')}01${String(2 * (n % 500) + 1).padStart(3, '0')}`;
  return id17 + idNumberCheckCharacter(id17);
};
const NAME = '甲乙丙丁戊己庚辛壬癸';

export async function seed(platform: ReturnType<typeof platformOn>['platform'], people: number): Promise<void> {
  const { tree } = platform;
  await tree.execute(
    { type: 'CreateOrgNode', data: { orgNodeId: 'root', name: '青浦区', kind: 'ROOT', parentId: null } },
    WORKER_META,
  );
  for (const [orgNodeId, name, kind, parentId] of [
    ['gov', '区政府', 'CATEGORY', 'root'],
    ['agencies', '政府部门', 'CATEGORY', 'gov'],
    ['edu', '区教育局', 'UNIT', 'agencies'],
    ['edu-zh', '综合科', 'INTERNAL_BODY', 'edu'],
    ['health', '区卫健委', 'UNIT', 'agencies'],
    ['health-zh', '综合科', 'INTERNAL_BODY', 'health'],
    ['health-it', '信息科', 'INTERNAL_BODY', 'health'],
  ] as const)
    await tree.execute({ type: 'CreateOrgNode', data: { orgNodeId, name, kind, parentId } }, WORKER_META);
  for (let i = 0; i < people; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, people - i) }, (_, j) => i + j).map((n) =>
        platform.people.register(
          {
            personId: `p${n}`,
            name: `人员${NAME[n % 10]}${NAME[Math.floor(n / 10) % 10]}${NAME[Math.floor(n / 100) % 10]}${NAME[Math.floor(n / 1000) % 10]}`,
            idNumber: idNumber(n),
            gender: '1',
            mobile: `139${String(n).padStart(8, '0')}`,
            officePhone: null,
            rank: null,
            politicalStatus: null,
            leadershipDuties: null,
            employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
            primaryPost: { orgNodeId: n % 3 === 0 ? 'health-zh' : 'health', title: '科员' },
          },
          WORKER_META,
        ),
      ),
    );
  }
}

async function main(): Promise<void> {
  const [file, mode, count] = process.argv.slice(2);
  const { store, platform } = platformOn(file);
  if (mode === 'seed') await seed(platform, Number(count));
  else {
    process.stdout.write('ready\n');
    if (mode === 'merge') await platform.restructuring.merge(MERGE, WORKER_META);
    else await platform.restructuring.abolish(ABOLITION, WORKER_META);
  }
  await store.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
