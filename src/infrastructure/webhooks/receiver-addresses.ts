/**
 * Which addresses a webhook may be sent to (SSRF): public unicast only. The host is resolved and
 * every address it resolves to is checked, at registration and again when connecting (a name may
 * be re-pointed after registration); WEBHOOK_ALLOWED_HOSTS names the receivers inside a government
 * network that may resolve to private addresses.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { WebhookReceivers } from '../../application/ports/webhook-delivery.port';
import { RuleViolation } from '../../domain/shared/domain-error';

function ipv4Blocked(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return (
    a === 0 || // this network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224 // multicast, reserved, broadcast
  );
}

function ipv6Blocked(address: string): boolean {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (lower === '::' || lower === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return ipv4Blocked(mapped[1]);
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(lower)) return true; // mapped, written in hex
  const first = parseInt(lower.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique-local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    lower.startsWith('64:ff9b:') || // NAT64 to any IPv4
    lower.startsWith('::') // other IPv4-compatible forms
  );
}

/** Whether an IP address is one a webhook must not reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address.replace(/^\[|\]$/g, ''));
  if (family === 4) return ipv4Blocked(address);
  if (family === 6) return ipv6Blocked(address);
  return true;
}

const notAllowed = (url: string, why: string) =>
  new RuleViolation('WEBHOOK_TARGET_NOT_ALLOWED', 'unprocessable', `推送地址 ${url} 不允许：${why}`, { url });

export class PublicWebhookReceivers implements WebhookReceivers {
  constructor(
    /** Host names the operator allowed to resolve to private addresses (a receiver inside the government network). */
    private readonly allowedHosts: readonly string[],
    private readonly resolve: (host: string) => Promise<string[]> = async (host) =>
      (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address),
  ) {}

  allowsHost(host: string): boolean {
    return this.allowedHosts.includes(host.toLowerCase());
  }

  async assertAllowed(url: string): Promise<void> {
    const { hostname } = new URL(url);
    const host = hostname.replace(/^\[|\]$/g, '');
    if (this.allowsHost(host)) return;
    const addresses = isIP(host) ? [host] : await this.resolve(host).catch(() => []);
    if (addresses.length === 0) throw notAllowed(url, '主机名无法解析');
    const blocked = addresses.find(isBlockedAddress);
    if (blocked)
      throw notAllowed(
        url,
        `解析到本机、内网或保留地址 ${blocked}（如确为政务内网接收方，请在 WEBHOOK_ALLOWED_HOSTS 中列出）`,
      );
  }
}
