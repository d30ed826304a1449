import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../application/ports/clock.port';
import { localDate } from '../../application/calendar/working-days';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CALENDAR_DATE } from './dto/command-meta.dto';

/** `?effectiveOn=YYYY-MM-DD` of read routes: checked, defaulting to today in the jurisdiction's zone. */
@Injectable()
export class EffectiveDates {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get timeZone(): string {
    return this.config.timeZone;
  }

  effectiveOn(value: string | undefined): string {
    if (value === undefined || value === '') return localDate(this.clock.now(), this.config.timeZone);
    if (!CALENDAR_DATE.test(value)) {
      throw new HttpException(
        {
          code: 'VALIDATION_FAILED',
          message: 'effectiveOn 应为 YYYY-MM-DD 格式的日期',
          details: { errors: [{ field: 'effectiveOn', reason: 'must be a date YYYY-MM-DD' }] },
        },
        HttpStatus.BAD_REQUEST,
      );
    }
    return value;
  }
}
