import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOmittable } from '../validation/is-omittable';
import { Type } from 'class-transformer';
import { IsInt, IsMongoId, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** `?cursor&limit` of every list: the cursor is the id of the last item of the previous page. */
export class PageQueryDto {
  @ApiPropertyOptional({
    description: 'nextCursor of the previous page; omit for the first page',
    example: '665f1c2e9b1d8c0012345678',
  })
  @IsOmittable()
  @IsMongoId()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A page from up to limit + 1 rows fetched newest first: the extra row only tells that another
 * page exists, and the last returned item's id is the next cursor.
 */
export function toPage<R extends { id: string }, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: items.map(map), nextCursor: more ? items[items.length - 1].id : null };
}
