import { HttpException, HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; reason: string }> {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Request bodies: unknown fields refused, types checked, and a 400 that names each field and why. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return new HttpException(
        {
          code: 'VALIDATION_FAILED',
          message: `请求内容有误：${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`,
          details: { errors: problems },
        },
        HttpStatus.BAD_REQUEST,
      );
    },
  });
}
