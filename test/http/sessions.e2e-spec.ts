/**
 * Sign-in for the console (issue 24): a one-time link printed by the CLI is exchanged for a session
 * cookie; its first use activates a new account (000:9); a second use, a link sent as a bearer
 * token, an expired link and a cross-site write with the cookie are refused.
 */
import request from 'supertest';
import { TokenService } from '../../src/infrastructure/auth/token-service';
import { runCli } from '../support/cli';
import { withHrNotice } from '../support/hr-notice';
import { buildHistory } from '../support/read-models';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';

describe('sign-in links and sessions', () => {
  jest.setTimeout(60_000);
  let app: TestApp;
  let server: ReturnType<TestApp['app']['getHttpServer']>;
  let tokens: TokenService;
  const cookieOf = (response: request.Response) => String(response.headers['set-cookie']?.[0] ?? '').split(';')[0];
  const events = async (accountId: string) =>
    (await app.store.readStream(`Account-${accountId}`)).map((event) => event.type);

  beforeAll(async () => {
    app = await startTestApp();
    server = app.app.getHttpServer();
    tokens = app.app.get(TokenService);
    await buildHistory(app, 12);
    for (const [accountId, personId] of [
      ['acc-p4', 'p4'],
      ['acc-p8', 'p8'],
    ]) {
      const body = withHrNotice('/accounts', { accountId, type: 'USER', personId, loginName: `user.${personId}` });
      await request(server).post('/accounts').set(app.admin).send(body).expect(200);
    }
  });

  afterAll(async () => {
    await app.close();
  });

  it('prints a link from the CLI whose first use activates the account and opens a session', async () => {
    const env = {
      ...process.env,
      DATA_DIR: app.dataDir,
      JURISDICTION: 'qingpu',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
    };
    const printed = runCli(env, [
      'login-link',
      '--account',
      'acc-p4',
      '--ttl',
      '10m',
      '--base-url',
      'https://oa.example.gov.cn/',
    ]);
    expect(printed.status).toBe(0);
    expect(printed.stderr).toContain('首次使用即激活该账号');
    const url = new URL(printed.stdout.trim());
    expect(`${url.origin}${url.pathname}`).toBe('https://oa.example.gov.cn/console/sign-in');
    // In the fragment: a browser never sends it to a server, nor a proxy logs it.
    const link = new URLSearchParams(url.hash.slice(1)).get('link')!;
    expect(await events('acc-p4')).toEqual(['AccountOpened']);

    const signedIn = await request(server).post('/sessions').send({ link }).expect(200);
    expect(signedIn.body).toMatchObject({ accountId: 'acc-p4', activated: true });
    const setCookie = String(signedIn.headers['set-cookie'][0]);
    expect(setCookie).toMatch(/^gov_session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(await events('acc-p4')).toEqual(['AccountOpened', 'AccountSignedIn', 'AccountActivated']);

    const current = await request(server).get('/sessions/current').set('Cookie', cookieOf(signedIn)).expect(200);
    expect(current.body).toMatchObject({ kind: 'ACCOUNT', accountId: 'acc-p4', type: 'USER', personId: 'p4' });

    const again = await request(server).post('/sessions').send({ link }).expect(409);
    expect(again.body.code).toBe('SIGN_IN_LINK_USED');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(await events('acc-p4')).toHaveLength(3);
  });

  it('refuses a link as a bearer token, an expired or forged link, and a link of a frozen account', async () => {
    const link = await tokens.issueSignInLink('acc-p8', '1s');
    const asBearer = await request(server).get('/sessions/current').set('Authorization', `Bearer ${link}`).expect(401);
    expect(asBearer.body.code).toBe('UNAUTHENTICATED');
    const forged = await request(server)
      .post('/sessions')
      .send({ link: `${link.slice(0, -4)}AAAA` })
      .expect(401);
    expect(forged.body.code).toBe('SIGN_IN_LINK_INVALID');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await request(server).post('/sessions').send({ link }).expect(401);
    expect(expired.body).toMatchObject({ code: 'SIGN_IN_LINK_INVALID', message: '登录链接已过期，请重新获取' });
    const tooLong = await request(server)
      .post('/sessions')
      .send({ link: await tokens.issueSignInLink('acc-p8', '2d') })
      .expect(401);
    expect(tooLong.body.message).toContain('超过一天');
    expect(await events('acc-p8')).toEqual(['AccountOpened']);

    await request(server)
      .post('/accounts/acc-p8/freeze')
      .set(app.admin)
      .send(withHrNotice('/accounts/acc-p8/freeze', { freezeReason: 'SECURITY' }))
      .expect(200);
    const frozen = await request(server)
      .post('/sessions')
      .send({ link: await tokens.issueSignInLink('acc-p8', '5m') })
      .expect(409);
    expect(frozen.body.code).toBe('ACCOUNT_FROZEN');
    expect(await events('acc-p8')).toEqual(['AccountOpened', 'AccountFrozen']);
  });

  it('takes a write with the session cookie only when the page marked it, and signs out', async () => {
    const signedIn = await request(server)
      .post('/sessions')
      .send({ link: await tokens.issueSignInLink('acc-admin', '5m') })
      .expect(200);
    expect(signedIn.body.activated).toBe(false);
    const cookie = cookieOf(signedIn);
    const body = withHrNotice('/org-nodes/u5/rename', { name: '区第6局（会话）' });
    const forged = await request(server).post('/org-nodes/u5/rename').set('Cookie', cookie).send(body).expect(403);
    expect(forged.body.code).toBe('SESSION_REQUEST_UNMARKED');
    await request(server)
      .post('/org-nodes/u5/rename')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'console')
      .send(body)
      .expect(200);

    const out = await request(server).delete('/sessions/current').set('Cookie', cookie).expect(200);
    expect(String(out.headers['set-cookie'][0])).toMatch(/^gov_session=; Max-Age=0;/);
    await request(server).get('/sessions/current').expect(401);
  });
});
