import {
  type ArgumentMetadata,
  HttpException,
  HttpStatus,
  type PipeTransform,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';

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

/** Deeper than any command body; class-transformer recurses and would overflow the stack on thousands of levels. */
export const MAX_BODY_DEPTH = 32;

/** Refuses a body nested deeper than MAX_BODY_DEPTH before anything recursive looks at it (walked without recursion). */
export class BodyDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || typeof value !== 'object' || value === null) return value;
    const stack: Array<[unknown, number]> = [[value, 1]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (depth > MAX_BODY_DEPTH) {
        throw new HttpException(
          { code: 'BODY_TOO_DEEP', message: `请求内容嵌套超过 ${MAX_BODY_DEPTH} 层，不予处理` },
          HttpStatus.BAD_REQUEST,
        );
      }
      for (const child of Object.values(node as object))
        if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
    return value;
  }
}
