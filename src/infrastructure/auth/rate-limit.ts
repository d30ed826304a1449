/**
 * A rate limit per credential (an account, a service), or per address before one is known: a
 * flood from one token slows that token only. Over the limit the answer is 429 RATE_LIMITED with
 * Retry-After (seconds).
 */
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Principal } from '../../domain/access/access-policy';

@Injectable()
export class CredentialThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: { principal?: Principal; ip?: string }): Promise<string> {
    const principal = request.principal;
    if (principal?.kind === 'ACCOUNT') return `account:${principal.account.accountId}`;
    if (principal?.kind === 'SERVICE') return `service:${principal.name}`;
    return `address:${request.ip ?? 'unknown'}`;
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw new HttpException(
      { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试（见 Retry-After）' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
