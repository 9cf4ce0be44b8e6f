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
    description: 'An invite code (case and dashes do not matter)',
    example: 'K7QM-2XHD-9TRW',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  inviteCode!: string;
}

export class LoginDto {
  @EmailField()
  email!: string;

  @ApiProperty({ format: 'password', example: 'correct horse battery' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password', example: 'correct horse battery' })
  @IsString()
  @MaxLength(1024)
  currentPassword!: string;

  @PasswordField('newPassword')
  newPassword!: string;
}

export class AccessTokenDto {
  @ApiProperty({ description: 'JWT (HS256) for Authorization: Bearer …' })
  accessToken!: string;

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;
}

export class AuthResponseDto extends AccessTokenDto {
  @ApiProperty({ type: UserPrivateDto })
  user!: UserPrivateDto;
}
