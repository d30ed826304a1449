/**
 * Console sign-in through the SSO (issue 24): OpenID Connect's authorization code flow with PKCE,
 * against a real provider (`oidc-provider`, started on loopback in its own process, requiring PKCE),
 * driven in headless Chromium: the console's button, the provider's login and consent pages, the
 * callback, a session cookie, the account's first sign-in activating it. A replayed callback and a
 * callback without the browser's pending state are refused, and the sign-in page says why.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import {
  ensureConsoleBuilt,
  haveChromium,
  launchChromium,
  SCREENSHOTS,
  seriousViolations,
  skippedWithoutChromium,
  watchErrors,
} from '../support/browser';
import { freePort } from '../support/ports';
import { startTestApp, type TestApp } from '../support/test-app';

skippedWithoutChromium('sso.e2e-spec');

function startProvider(redirectUri: string): Promise<{ child: ChildProcess; issuer: string }> {
  const child = spawn(process.execPath, [join(__dirname, '../support/oidc-provider.mjs'), 'console', redirectUri], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code})`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve({ child, issuer: chunk.toString().trim() }));
  });
}

(haveChromium ? describe : describe.skip)('console sign-in through the SSO (OIDC code + PKCE)', () => {
  let t: TestApp;
  let provider: ChildProcess;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const started = await startProvider(`${base}/sessions/sso/callback`);
    provider = started.child;
    t = await startTestApp({
      OIDC_ISSUER: started.issuer,
      OIDC_CLIENT_ID: 'console',
      OIDC_REDIRECT_URI: `${base}/sessions/sso/callback`,
    });
    await t.app.listen(port, '127.0.0.1');
    const post = (path: string, body: object) => request(t.app.getHttpServer()).post(path).set(t.admin).send(body);
    const id17 = '31011819900101001';
    await post('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' }).expect(200);
    await post('/persons', {
      personId: 'p-sso',
      name: '统一认证用户',
      idNumber: id17 + idNumberCheckCharacter(id17),
      gender: '1',
      mobile: '13912345678',
      employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
      primaryPost: { orgNodeId: 'edu' },
      effectiveAt: new Date().toISOString().slice(0, 10),
      sourceRef: '测人调〔2026〕1号',
    }).expect(200);
    await post('/accounts', { accountId: 'acc-sso', type: 'USER', personId: 'p-sso', loginName: 'sso.user' }).expect(
      200,
    );
    await post('/accounts/acc-sso/read-roles', { role: 'AUDITOR' }).expect(200);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    provider?.kill();
  });

  it('signs in at the provider, lands in the console, and the first sign-in activates the account', async () => {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const authorizations: URL[] = [];
    let callback = '';
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin !== base && url.searchParams.has('response_type')) authorizations.push(url);
      if (url.pathname === '/sessions/sso/callback') callback = url.toString();
    });
    await page.goto(`${base}/console/sign-in`);
    await page.getByRole('link', { name: '使用统一身份认证登录' }).click();

    // The provider's own pages: its login (any login is an account there), then consent.
    await page.waitForURL((url) => url.origin !== base);
    expect(authorizations).toHaveLength(1);
    expect(Object.fromEntries(authorizations[0].searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'console',
      code_challenge_method: 'S256',
      redirect_uri: `${base}/sessions/sso/callback`,
    });
    await page.locator('input[name=login]').fill('acc-sso');
    await page.locator('input[name=password]').fill('whatever');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL(`${base}/console/audit`);
    expect(await page.getByTestId('signed-in-account').innerText()).toContain('sso.user');
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === 'gov_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The pending state is gone once used.
    expect(cookies.find((c) => c.name === 'gov_sso')).toBeUndefined();
    const account = await request(t.app.getHttpServer()).get('/accounts/acc-sso').set(t.admin).expect(200);
    expect(account.body.status).toBe('ACTIVE');
    await page.screenshot({ path: join(SCREENSHOTS, 'sso-signed-in.png') });
    // The same callback brought again finds no pending sign-in: refused, nothing recorded.
    const head = await t.store.headPosition();
    await page.goto(callback);
    await page.waitForURL(/\/console\/sign-in\?error=/);
    expect(await page.getByRole('alert').innerText()).toContain('SSO_STATE_MISSING');
    expect(await t.store.headPosition()).toBe(head);
    // The provider's development pages fetch web fonts this closed network cannot reach; the console logs nothing.
    expect(errors.filter((e) => e.includes(`@ ${base}/`))).toEqual([]);
    await context.close();
  }, 60_000);

  it('refuses a callback that this browser did not begin, and says why on the sign-in page', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${base}/sessions/sso/callback?code=forged&state=forged`);
    await page.waitForURL(/\/console\/sign-in\?error=/);
    expect(await page.getByRole('alert').innerText()).toContain('SSO_STATE_MISSING');
    expect(await context.cookies(base)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'sso-refused.png') });
    await context.close();
  }, 60_000);

  it('answers whether the SSO is configured, without a credential', async () => {
    const status = await request(t.app.getHttpServer()).get('/sessions/sso').expect(200);
    expect(status.body).toEqual({ enabled: true });
  });
});
