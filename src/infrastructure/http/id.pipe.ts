import { HttpException, HttpStatus, type PipeTransform } from '@nestjs/common';
import { ID_MESSAGE, ID_PATTERN } from './dto/org-node.dto';

/** Path ids: the same shape as ids in bodies; anything else is a 400 naming the parameter. */
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly name = 'id') {}
  transform(value: string): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new HttpException(
        {
          code: 'VALIDATION_FAILED',
          message: `路径参数 ${this.name} ${ID_MESSAGE}`,
          details: { errors: [{ field: this.name, reason: ID_MESSAGE }] },
        },
        HttpStatus.BAD_REQUEST,
      );
    }
    return value;
  }
}
