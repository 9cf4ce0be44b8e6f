import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class DeleteAccountDto {
  @ApiProperty({
    format: 'password',
    maxLength: 1024,
    example: 'correct horse battery',
    description: 'Your current password, to confirm',
  })
  @IsString()
  @MaxLength(1024)
  password!: string;
}
