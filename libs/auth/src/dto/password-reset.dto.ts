import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { EmailField, PasswordField } from '@app/users';

export class ForgotPasswordDto {
  @EmailField()
  email!: string;
}

export class ResetPasswordDto {
  @ApiProperty({
    description:
      'The token of the reset link (the part after PASSWORD_RESET_URL): 43 base64url characters. ' +
      'Any string of 1 to 256 characters passes validation; one that is not a pending, unexpired ' +
      'token answers 400 RESET_TOKEN_INVALID.',
    example: 'q3V9Jm0cXyB2tQ8r1kZ4wLhP6sN5uA7eD0fG2hI3jK4',
    minLength: 1,
    maxLength: 256,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  token!: string;

  @PasswordField('newPassword')
  newPassword!: string;
}
