/**
 * Webhook deliveries over HTTP(S) with keep-alive connections (one delivery per request; a slow or
 * silent receiver is cut off at the timeout and the attempt counts as failed).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import type { WebhookSender } from '../../application/ports/webhook-delivery.port';
import { isBlockedAddress, type PublicWebhookReceivers } from './receiver-addresses';

type LookupOptions = { family?: number; all?: boolean; hints?: number };
type LookupCallback = (error: Error | null, address: string, family: number) => void;

export class HttpWebhookSender implements WebhookSender {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  /** With `receivers`, every connection is checked again on the address it resolves to (a re-pointed name). */
  constructor(private readonly receivers: PublicWebhookReceivers | null = null) {}

  /** dns.lookup, refusing an address a webhook must not reach unless its host is allowed by name. */
  private readonly checkedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const blocked = list.find((entry) => isBlockedAddress(entry.address));
      if (blocked && !this.receivers!.allowsHost(hostname))
        return callback(new Error(`推送地址解析到本机、内网或保留地址，未连接`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };

  post(url: string, body: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const host = target.hostname.replace(/^\[|\]$/g, '');
      // An address written in the URL is not looked up: it is checked here.
      if (this.receivers && isIP(host) && isBlockedAddress(host) && !this.receivers.allowsHost(host))
        return reject(new Error('推送地址是本机、内网或保留地址，未连接'));
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: secure ? this.https : this.http,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
          ...(this.receivers ? { lookup: this.checkedLookup as never } : {}),
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
