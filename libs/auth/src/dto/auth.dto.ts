import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import {
  BirthDateField,
  DisplayNameField,
  EmailField,
  PasswordField,
  UserPrivateDto,
} from '@app/users';

/** What every account is made of (signup adds the invite; admin:create takes it as options). */
export class AccountFieldsDto {
  @EmailField()
  email!: string;

  @PasswordField()
  password!: string;

  @DisplayNameField()
  displayName!: string;

  @BirthDateField()
  birthDate!: string;
}

export class SignupDto extends AccountFieldsDto {
  @ApiProperty({
    description:
      'An invite code: 12 letters and digits, case, spaces and dashes do not matter. Any string ' +
      'of 1 to 64 characters passes validation; one that is not a usable code answers 400 INVITE_INVALID.',
    example: 'K7QM-2XHD-9TRW',
    minLength: 1,
    maxLength: 64,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  inviteCode!: string;
}

export class LoginDto {
  @EmailField()
  email!: string;

  @ApiProperty({ format: 'password', maxLength: 1024, example: 'correct horse battery' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password', maxLength: 1024, example: 'correct horse battery' })
  @IsString()
  @MaxLength(1024)
  currentPassword!: string;

  @PasswordField('newPassword')
  newPassword!: string;
}

export class AccessTokenDto {
  @ApiProperty({ description: 'JWT (HS256) for Authorization: Bearer …' })
  accessToken!: string;

  @ApiProperty({
    type: 'integer',
    example: 900,
    description: 'Seconds until the access token expires',
  })
  expiresIn!: number;
}

export class AuthResponseDto extends AccessTokenDto {
  @ApiProperty({ type: UserPrivateDto })
  user!: UserPrivateDto;
}
