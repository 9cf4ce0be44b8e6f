import type { Type as NestType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { ApiObjectIdProperty, OBJECT_ID_PATTERN } from '../ids/object-id';
import { IsOmittable } from '../validation/is-omittable';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** A 24-character hexadecimal id in a query (not IsMongoId(): it also takes "0x" and 22 digits). */
export function IsObjectIdString(): PropertyDecorator {
  return Matches(new RegExp(OBJECT_ID_PATTERN), {
    message: '$property must be a 24-character hexadecimal id',
  });
}

/** `?limit` of every list: 1 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when omitted. */
export class LimitQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
  })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

/** `?cursor&limit` of every list: the cursor is the id of the last item of the previous page. */
export class PageQueryDto extends LimitQueryDto {
  @ApiObjectIdProperty({
    required: false,
    description: 'nextCursor of the previous page; omit for the first page',
  })
  @IsOmittable()
  @IsObjectIdString()
  cursor?: string;
}

/** The `nextCursor` of a page response: the cursor of the next page, null on the last one. */
export function ApiNextCursorProperty(): PropertyDecorator {
  return ApiProperty({
    type: String,
    nullable: true,
    pattern: OBJECT_ID_PATTERN,
    description: 'Pass as ?cursor= for the next page; null on the last page',
    example: null,
  });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A page from up to limit + 1 rows fetched newest first: the extra row only tells that another
 * page exists, and the last returned item's id is the next cursor.
 */
export function toPage<R extends { id: string }>(rows: readonly R[], limit: number): Page<R> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more ? items[items.length - 1].id : null };
}

/** The same page with each item mapped (records to response DTOs): the one place pages are mapped. */
export function mapPage<A, B>(page: Page<A>, map: (item: A) => B): Page<B> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

/**
 * The response DTO of a page of `item`s: `{items, nextCursor}`, named after the item for the
 * OpenAPI document (LedgerEntryDto → LedgerEntryPageDto). Extend it: `class XPageDto extends
 * PageDtoOf(XDto) {}`.
 */
export function PageDtoOf<T>(item: NestType<T>, description = 'Newest first'): NestType<Page<T>> {
  class PageOf implements Page<T> {
    @ApiProperty({ type: [item], description })
    items!: T[];

    @ApiNextCursorProperty()
    nextCursor!: string | null;
  }
  Object.defineProperty(PageOf, 'name', { value: `${item.name.replace(/Dto$/, '')}PageOf` });
  return PageOf;
}
