/**
 * Webhooks cannot be pointed at the platform's own host or network (SSRF, issue 17, hole 11):
 * refused at registration, whatever way the address is written, and again at connect time.
 */
import request from 'supertest';
import { isBlockedAddress, PublicWebhookReceivers } from '../../src/infrastructure/webhooks/receiver-addresses';
import { HttpWebhookSender } from '../../src/infrastructure/webhooks/http-webhook-sender';
import { startTestApp, type TestApp } from '../support/test-app';

describe('webhook targets', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No receiver allowed by name: the production default.
    t = await startTestApp({ WEBHOOK_ALLOWED_HOSTS: '' });
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1:9/hooks',
    'http://localhost:9/hooks',
    'http://0.0.0.0/hooks',
    'http://[::1]/hooks',
    'http://[::ffff:127.0.0.1]/hooks',
    'http://2130706433/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://10.1.2.3/hooks',
    'http://192.168.1.10/hooks',
    'http://[fd00::1]/hooks',
  ])('refuses to register a subscription to %s, writing nothing', async (url) => {
    const before = await t.store.headPosition();
    const response = await request(t.app.getHttpServer())
      .post('/subscriptions')
      .set(t.admin)
      .send({ name: '探测', url, types: ['PersonTransferred'] });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('WEBHOOK_TARGET_NOT_ALLOWED');
    expect(await t.store.headPosition()).toBe(before);
  });

  it('tells public unicast from the addresses a webhook must not reach', () => {
    for (const address of ['8.8.8.8', '114.114.114.114', '2400:3200::1'])
      expect({ address, blocked: isBlockedAddress(address) }).toEqual({ address, blocked: false });
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.0.1', '100.64.0.1', '::1', 'fe80::1', '::ffff:10.0.0.1'])
      expect({ address, blocked: isBlockedAddress(address) }).toEqual({ address, blocked: true });
  });

  it('checks the address again when connecting, so a name re-pointed after registration is not followed', async () => {
    const sender = new HttpWebhookSender(new PublicWebhookReceivers([]));
    try {
      await expect(sender.post('http://localhost:9/hooks', '{}', {}, 2000)).rejects.toThrow('内网');
      await expect(sender.post('http://127.0.0.1:9/hooks', '{}', {}, 2000)).rejects.toThrow('内网');
    } finally {
      sender.close();
    }
  });
});
