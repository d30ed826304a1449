/**
 * The console in headless Chromium (issue 24), as its users work: an auditor signs in through a
 * CLI sign-in link, finds a person with five changes (one recorded late, one corrected), reads the
 * timeline, travels to an instant between two changes and sees the middle state (and the tree as in
 * effect on a date, and who moved in it between two dates), exports the
 * timeline to XLSX and reads it back; an assessor drills from a unit's activation rate to the people
 * not activated; a user-level account is refused the audit pages, by the console and by the API.
 * Every page: no console error, no critical or serious axe-core violation, a screenshot under
 * test-results/console/. Also at a narrow width, and by keyboard alone.
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import {
  ensureConsoleBuilt,
  eventually,
  haveChromium,
  launchChromium,
  SCREENSHOTS,
  seriousViolations,
  skippedWithoutChromium,
  watchErrors,
} from '../support/browser';
import { runCli } from '../support/cli';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';

skippedWithoutChromium('console.e2e-spec');

const idNumber = (n: number) => {
  const id17 = `31011819850315${String(2 * n + 1).padStart(3, '0')}`;
  return id17 + idNumberCheckCharacter(id17);
};
/** Types a date (or date and time) into an Ant Design picker, as a keyboard user does, and confirms it. */
async function pick(input: Locator, text: string): Promise<void> {
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

const NOTICE = '青人调〔2026〕7号';
const PHONE = '021-59730001';

(haveChromium ? describe : describe.skip)('the console in headless Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let now = new Date('2026-03-02T02:00:00Z');

  const post = (path: string, body: object) => request(t.app.getHttpServer()).post(path).set(t.admin).send(body);
  const at = (instant: string) => (now = new Date(instant));
  const person = (personId: string, name: string, n: number, orgNodeId: string) => ({
    personId,
    name,
    idNumber: idNumber(n),
    gender: '1',
    mobile: `1391234000${n}`,
    employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
    primaryPost: { orgNodeId, title: '科员' },
    effectiveAt: now.toISOString().slice(0, 10),
    sourceRef: NOTICE,
  });

  /** A page signed in through a fresh CLI sign-in link for the account, as an operator hands it out. */
  async function signedIn(accountId: string, viewport = { width: 1366, height: 768 }) {
    const printed = runCli(
      { ...process.env, DATA_DIR: t.dataDir, JURISDICTION: 'qingpu', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' },
      ['login-link', '--account', accountId, '--base-url', base],
    );
    expect(printed.status).toBe(0);
    // Reduced motion: the accessibility check must not sample a colour halfway through a transition.
    const context = await browser.newContext({
      viewport,
      locale: 'zh-CN',
      acceptDownloads: true,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(printed.stdout.trim());
    await page.getByTestId('signed-in-account').waitFor();
    return { page, errors };
  }

  async function checkPage(page: Page, name: string, errors: string[]) {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestApp({}, { clock: { now: () => now } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    // 2026-03-02: the units, the person audited, and the console's three users.
    await post('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' }).expect(200);
    await post('/org-nodes', { orgNodeId: 'health', name: '区卫健委', kind: 'UNIT', parentId: 'root' }).expect(200);
    await post('/persons', person('p-audit', '审计对象', 1, 'edu')).expect(200);
    for (const [n, who, name] of [
      [2, 'auditor', '审计员甲'],
      [3, 'assessor', '考核员乙'],
      [4, 'user', '普通用户丙'],
    ] as const) {
      await post('/persons', person(`p-${who}`, name, n, 'edu')).expect(200);
      await post('/accounts', { accountId: `acc-${who}`, type: 'USER', personId: `p-${who}`, loginName: who }).expect(
        200,
      );
    }
    await post('/accounts/acc-auditor/read-roles', { role: 'AUDITOR' }).expect(200);
    await post('/accounts/acc-assessor/read-roles', { role: 'ASSESSOR' }).expect(200);
    // The audited person's history: a profile change, a transfer recorded late, a post change, a correction.
    at('2026-03-09T02:00:00Z');
    await post('/persons/p-audit/profile', { changes: { officePhone: PHONE } }).expect(200);
    at('2026-04-01T02:00:00Z');
    await post('/persons/p-audit/transfer', {
      to: { orgNodeId: 'health', title: '科员' },
      effectiveAt: '2026-03-10',
      sourceRef: NOTICE,
    }).expect(200);
    const transfer = (await t.store.readStream('Person-p-audit')).find((e) => e.type === 'PersonTransferred')!;
    at('2026-04-02T02:00:00Z');
    await post('/persons/p-audit/post', {
      orgNodeId: 'health',
      title: '科长',
      effectiveAt: '2026-04-02',
      sourceRef: NOTICE,
    }).expect(200);
    at('2026-04-03T02:00:00Z');
    await post('/persons/p-audit/corrections', {
      eventId: transfer.eventId,
      correction: 'EFFECTIVE_DATE',
      correctEffectiveAt: '2026-03-12',
      reason: '调令生效日期录错',
      sourceRef: '青人更〔2026〕2号',
    }).expect(200);
    const engine = t.app.get(ProjectionEngine);
    expect(await engine.waitFor((await t.store.headPosition())!, 30_000)).toBe(true);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an auditor finds a person, reads the timeline, exports it, and travels to the middle state', async () => {
    const { page, errors } = await signedIn('acc-auditor');
    await page.waitForURL(/\/console\/audit$/);
    // The link's code leaves the address bar once used.
    expect(page.url()).not.toContain('link=');

    await page.getByLabel('查找').fill('审计对象');
    await page.getByRole('button', { name: '查 找' }).click();
    const rows = page.getByTestId('timeline').locator('tbody tr.ant-table-row');
    expect(
      await eventually(
        () => rows.count(),
        (n) => n === 5,
      ),
    ).toBe(5);
    const timeline = await page.getByTestId('timeline').innerText();
    for (const label of ['人员登记', '资料变更', '调动', '任职变更', '更正生效日期']) expect(timeline).toContain(label);
    expect(timeline).toMatch(/超期：滞后 \d+ 个工作日/);
    expect(timeline).toContain('已被更正');
    expect(timeline).toContain('调令生效日期录错');
    expect(timeline).toContain('青人更〔2026〕2号');
    // Recorded 2026-04-01 10:00 in Shanghai: dates in the jurisdiction's zone.
    expect(timeline).toContain('2026-04-01 10:00:00');
    await checkPage(page, 'audit-timeline', errors);

    // The operation a change belongs to: its entries across entities, each linked to its timeline.
    await rows
      .nth(4)
      .getByRole('button', { name: /同一操作/ })
      .click();
    const related = await eventually(
      () => page.getByTestId('related').innerText(),
      (text) => text.includes('p-audit'),
    );
    expect(related).toContain('Person p-audit · 更正生效日期');
    await page.keyboard.press('Escape');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(6);
    const exported = sheet.getSheetValues().flat().map(String).join('|');
    expect(exported).toContain('超期');
    expect(exported).toContain('调令生效日期录错');

    // 2026-03-20, between the profile change (03-09) and the transfer (recorded 04-01): the middle state.
    await page.getByRole('link', { name: '时点回溯' }).click();
    const card = page.locator('.ant-card').filter({ hasText: '对象当时的状态' });
    await card.getByLabel('编号').fill('p-audit');
    await pick(card.locator('.ant-picker input'), '2026-03-20 10:00:00');
    await card.getByRole('button', { name: '回 溯' }).click();
    const state = await page.getByTestId('entity-as-of').innerText();
    expect(state).toContain(PHONE);
    expect(state).toContain('edu');
    expect(state).not.toContain('health');

    // On 2026-03-13 both ways: recorded, the transfer was not yet (recorded 04-01); in effect, it was (03-12, corrected).
    const bases = page.locator('.ant-card').filter({ hasText: '按记录与按生效对比' });
    await bases.getByLabel('编号').fill('p-audit');
    await pick(bases.locator('.ant-picker input'), '2026-03-13 10:00:00');
    await bases.getByRole('button', { name: '对 比' }).click();
    const posts = page.getByTestId('bases-compared').locator('tr', { hasText: 'posts' });
    const postsRow = await eventually(
      () => posts.innerText(),
      (text) => text.includes('health'),
    );
    expect(postsRow).toMatch(/orgNodeId edu[\s\S]*orgNodeId health[\s\S]*不同/);

    // The tree as in effect on 2026-03-20 (the transfer's corrected date, 03-12, is past): 区卫健委 has one.
    const treeCard = page.locator('.ant-card').filter({ hasText: '组织架构当时的样子' });
    await pick(treeCard.locator('.ant-picker input'), '2026-03-20');
    await treeCard.getByRole('button', { name: '查 看' }).click();
    const tree = await eventually(
      () => page.getByTestId('tree-as-of').innerText(),
      (text) => text.includes('区卫健委'),
    );
    expect(tree).toContain('区卫健委（health） · 1 人');
    expect(tree).toContain('区教育局（edu） · 3 人');

    // Between 03-05 and 04-05 by effective date: the audited person moved from 区教育局 to 区卫健委.
    const diffCard = page.locator('.ant-card').filter({ hasText: '两个时点之间的变化' });
    for (const [n, day] of [
      [0, '2026-03-05'],
      [1, '2026-04-05'],
    ] as const) {
      await pick(diffCard.locator('.ant-picker input').nth(n), day);
    }
    await diffCard.getByLabel('节点').fill('root');
    await diffCard.getByRole('button', { name: '对 比' }).click();
    const diffRows = page.getByTestId('subtree-diff').locator('tbody tr.ant-table-row');
    expect(
      await eventually(
        () => diffRows.count(),
        (n) => n === 1,
      ),
    ).toBe(1);
    expect(await diffRows.first().innerText()).toMatch(/审计对象（p-audit）\s+调整\s+区教育局\s+区卫健委/);
    await checkPage(page, 'time-travel', errors);

    await page.getByRole('link', { name: '数据完整性' }).click();
    await page.getByRole('button', { name: '开始校验' }).click();
    const verification = await eventually(
      () => page.getByTestId('verification').innerText(),
      (text) => text.includes('校验通过'),
      30_000,
    );
    expect(verification).toContain('校验通过');
    await checkPage(page, 'integrity', errors);
  }, 120_000);

  it('an assessor drills from a unit’s activation rate to the people not activated', async () => {
    const { page, errors } = await signedIn('acc-assessor');
    await page.waitForURL(/\/console\/assessment$/);
    await page.getByLabel('考核期').fill('2026');
    await page.getByRole('button', { name: '查 看' }).click();
    // The units table once its report (and the previous period's, for the comparison) has come.
    await page.getByTestId('units').getByText('区卫健委').waitFor({ timeout: 30_000 });
    // The charts' lazy chunk pushes the table down when it lands: a click then may meet the page in motion.
    await page.locator('[role="img"] svg').first().waitFor({ timeout: 30_000 });
    const drill = page.getByTestId('drill');
    const body = page.locator('.ant-drawer-body');
    // The drawer's whole content: on a failure its alert says why.
    const drawer = await eventually(
      async () => {
        if ((await body.count()) === 0) await page.getByTestId('activation-health').click();
        return body.innerText({ timeout: 5_000 });
      },
      (text) => text.includes('审计对象'),
      30_000,
    );
    expect(drawer).toContain('审计对象');
    expect(await drill.innerText()).not.toContain('考核员乙');
    // The figure and its listing count the same people.
    expect(await drill.innerText()).toContain('共 1 条');
    expect(await page.getByTestId('notActivated-health').innerText()).toBe('1');
    await page.locator('svg').first().waitFor();
    await checkPage(page, 'assessment-drill', errors);
  }, 60_000);

  it('refuses a user-level account the audit pages, in the console and at the API', async () => {
    const { page, errors } = await signedIn('acc-user');
    await page.waitForURL(/\/console\/work-list$/);
    await page.getByRole('link', { name: '待办事项' }).waitFor();
    expect(await page.getByRole('link', { name: '审计回溯' }).count()).toBe(0);
    await page.goto(`${base}/console/audit?entityType=Person&entityId=p-audit`);
    await page.getByTestId('forbidden').waitFor();
    await checkPage(page, 'refused', errors);
    const status = await page.evaluate(
      "fetch('/audit/entries?entityType=Person&entityId=p-audit').then((r) => r.status)",
    );
    expect(status).toBe(403);
  }, 60_000);

  it('works by keyboard alone and on a narrow screen', async () => {
    const { page, errors } = await signedIn('acc-auditor', { width: 390, height: 844 });
    await page.waitForURL(/\/console\/audit$/);
    await page.getByRole('heading', { name: '审计回溯' }).waitFor();
    let focused = '';
    for (let tab = 0; tab < 30 && focused !== '查找'; tab++) {
      await page.keyboard.press('Tab');
      focused = String(await page.evaluate("document.activeElement?.getAttribute('aria-label') ?? ''"));
    }
    expect(focused).toBe('查找');
    await page.keyboard.type('审计对象');
    await page.keyboard.press('Enter');
    const rows = page.getByTestId('timeline').locator('tbody tr.ant-table-row');
    expect(
      await eventually(
        () => rows.count(),
        (n) => n === 5,
      ),
    ).toBe(5);
    // Nothing wider than the screen but the timeline table, which scrolls in its own box.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await checkPage(page, 'narrow-audit', errors);
  }, 60_000);
});
