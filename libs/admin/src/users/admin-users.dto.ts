import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
} from 'class-validator';
import {
  ApiObjectIdProperty,
  ApiSchemaRules,
  IsOmittable,
  PageDtoOf,
  PageQueryDto,
  type Role,
  ROLES,
} from '@app/common';
import { InviteItemDto } from '@app/invites';
import { LedgerEntryDto } from '@app/tokens';
import { BirthDateField, type UserRecord } from '@app/users';

/** The largest number of tokens one admin grant or removal moves. */
export const MAX_ADMIN_TOKEN_AMOUNT = 1_000_000;
export const ADMIN_TOKEN_REASON_MAX = 500;

export class AdminUserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'Email or display-name prefix, ignoring case (and compatibility variants such as fullwidth ' +
      'letters); matched literally, never as a pattern. Absent or empty: every user.',
    maxLength: 100,
    example: 'ann',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  query?: string;
}

@ApiSchemaRules({
  description: 'The fields to change: at least one (an empty body answers 400)',
  minProperties: 1,
})
export class UpdateAdminUserDto {
  @ApiPropertyOptional({ enum: ROLES, description: 'Never your own role; never the last admin' })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    description: 'true ends every session and disconnects every socket at once; never yourself',
  })
  @IsOmittable()
  @IsBoolean()
  banned?: boolean;

  @BirthDateField(true)
  birthDate?: string;
}

export class GrantAdminTokensDto {
  @ApiProperty({
    type: 'integer',
    description: 'Tokens to add (positive) or remove (negative, never below a zero balance: 402)',
    minimum: -MAX_ADMIN_TOKEN_AMOUNT,
    maximum: MAX_ADMIN_TOKEN_AMOUNT,
    example: 50,
  })
  @IsInt()
  @NotEquals(0, { message: 'amount must not be 0' })
  @Min(-MAX_ADMIN_TOKEN_AMOUNT)
  @Max(MAX_ADMIN_TOKEN_AMOUNT)
  amount!: number;

  @ApiProperty({
    description: 'Why, for the audit log: 1 to 500 characters (control characters removed)',
    minLength: 1,
    maxLength: ADMIN_TOKEN_REASON_MAX,
    example: 'Compensation for the outage of 21 November',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'reason must hold at least 1 character besides spaces' })
  reason!: string;
}

export class AdminUserDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ example: 'ann@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ann' })
  displayName!: string;

  @ApiProperty({ format: 'date', example: '1990-05-17' })
  birthDate!: string;

  @ApiProperty({ enum: ROLES, example: 'user' })
  role!: Role;

  @ApiProperty({ example: false })
  banned!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;
}

export class AdminUserPageDto extends PageDtoOf(AdminUserDto) {}

export class AdminUserDetailDto extends AdminUserDto {
  @ApiProperty({ type: [String], example: ['day-1990-05-17', 'date-05-17', 'year-1990'] })
  rooms!: string[];

  @ApiProperty({ type: 'integer', example: 97 })
  balance!: number;

  @ApiProperty({ type: [LedgerEntryDto], description: 'The latest ledger entries, newest first' })
  ledger!: LedgerEntryDto[];

  @ApiProperty({
    type: AdminUserDto,
    nullable: true,
    description: 'Who invited them (null: a system invite, or that account is gone)',
  })
  invitedBy!: AdminUserDto | null;

  @ApiProperty({ type: [InviteItemDto], description: 'Their latest invite codes, newest first' })
  invites!: InviteItemDto[];

  @ApiProperty({
    type: [AdminUserDto],
    description: 'The latest users who signed up with their invites, newest first',
  })
  invitees!: AdminUserDto[];
}

export class AdminTokensResultDto {
  @ApiProperty({ type: 'integer', example: 147, description: 'The balance after the change' })
  balance!: number;

  @ApiProperty({ type: LedgerEntryDto, description: 'The ledger entry written (reason admin)' })
  entry!: LedgerEntryDto;
}

export function toAdminUser(user: UserRecord): AdminUserDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    birthDate: user.birthDate,
    role: user.role,
    banned: user.banned,
    createdAt: user.createdAt.toISOString(),
  };
}
