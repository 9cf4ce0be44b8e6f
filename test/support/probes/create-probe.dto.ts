import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class ProbeAddressDto {
  @IsString()
  @Length(2, 40)
  city!: string;
}

export class CreateProbeDto {
  @IsString()
  @Length(2, 40)
  name!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => ProbeAddressDto)
  address?: ProbeAddressDto;
}

export class SlowQueryDto {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30000)
  ms!: number;
}
