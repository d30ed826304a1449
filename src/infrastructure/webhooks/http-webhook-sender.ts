/**
 * Webhook deliveries over HTTP(S) with keep-alive connections (one delivery per request; a slow or
 * silent receiver is cut off at the timeout and the attempt counts as failed).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { WebhookSender } from '../../application/ports/webhook-delivery.port';

export class HttpWebhookSender implements WebhookSender {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  post(url: string, body: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: secure ? this.https : this.http,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (response) => {
          // Drain the answer so the connection goes back to the pool; only the status matters.
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      const timer = setTimeout(() => request.destroy(new Error(`接收方 ${timeoutMs} ms 内未应答`)), timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('timeout', () => request.destroy(new Error(`接收方 ${timeoutMs} ms 内未应答`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
