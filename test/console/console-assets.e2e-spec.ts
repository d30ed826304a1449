/**
 * The console's files as the service serves them: the page for any console path (the browser
 * routes), under a policy that lets only the service's own scripts run; hashed assets cached for
 * good; a clear answer when the console has not been built. No credential is needed for the
 * files, which hold no data: every read the page makes is authorized as any other.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ensureConsoleBuilt } from '../support/browser';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp } from '../support/test-app';

describe('the console served under /console', () => {
  it('serves the page for every console path, its assets immutable, under a script-src self policy', async () => {
    ensureConsoleBuilt();
    const t = await startTestApp();
    try {
      const server = t.app.getHttpServer();
      const page = await request(server).get('/console/audit?entityType=Person&entityId=p1').expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('<div id="root"></div>');
      expect(page.headers['cache-control']).toBe('no-cache');
      const policy = page.headers['content-security-policy'];
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      const script = readdirSync(join(__dirname, '../../web/dist/assets')).find((f) => f.endsWith('.js'))!;
      const asset = await request(server).get(`/console/assets/${script}`).expect(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      const missing = await request(server).get('/console/assets/gone-0000.js').expect(404);
      expect(missing.body.code).toBe('CONSOLE_ASSET_NOT_FOUND');
      // The API keeps its own policy: nothing of it may run as a page.
      const api = await request(server).get('/sessions/sso').expect(200);
      expect(api.headers['content-security-policy']).toContain("default-src 'none'");
    } finally {
      await t.close();
    }
  });

  it('says how to build the console when it has not been built', async () => {
    const empty = makeTempDir();
    const t = await startTestApp({ CONSOLE_DIR: empty.path });
    try {
      const answer = await request(t.app.getHttpServer()).get('/console/').expect(404);
      expect(answer.body).toMatchObject({ code: 'CONSOLE_NOT_BUILT' });
      expect(answer.body.message).toContain('npm run build:console');
    } finally {
      await t.close();
      empty.remove();
    }
  });
});
