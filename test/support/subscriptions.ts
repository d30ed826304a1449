/** A subscription registered over HTTP, as a downstream system's administrator registers it. */
import request from 'supertest';
import type { TestApp } from './test-app';

/** Registers `body` (name, url, …) as the app's admin; its id and the signing secret shown once. */
export async function registerSubscription(app: TestApp, body: object): Promise<{ id: string; secret: string }> {
  const response = await request(app.app.getHttpServer()).post('/subscriptions').set(app.admin).send(body);
  expect(response.status).toBe(201);
  return { id: response.body.subscription.subscriptionId, secret: response.body.secret };
}
