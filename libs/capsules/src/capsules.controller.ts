import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ParseObjectIdPipe,
} from '@app/common';
import { CapsulesService } from './capsules.service';
import { CapsuleDto, CapsuleListDto } from './dto/capsule.dto';
import { CreateCapsuleDto } from './dto/create-capsule.dto';

@ApiTags('capsules')
@ApiBearerAuth()
@Controller('capsules')
export class CapsulesController {
  constructor(private readonly capsules: CapsulesService) {}

  @Post()
  @ApiOperation({
    summary: 'Seal a time capsule',
    description:
      'A message and exactly one of deliverAt (1 hour to 50 years ahead) and openOn ' +
      '("next-birthday": your next birthday at 00:00 UTC, strictly after now; 29 February opens ' +
      'on 28 February in common years; a later change of your birth date does not move it). ' +
      'Costs CAPSULE_COST tokens (402 when your balance is lower); a capsule that cannot be ' +
      'stored after the charge is refunded (a "refund" ledger entry). It opens within a few ' +
      'seconds after deliverAt: your sockets get capsule:delivered.',
  })
  @ApiCreatedResponse({ type: CapsuleDto })
  @ApiErrorResponses(400, 401, 402)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCapsuleDto): Promise<CapsuleDto> {
    return this.capsules.create(user.id, body);
  }

  @Get()
  @ApiOperation({
    summary: 'Your capsules, the latest deliverAt last',
    description: 'Sealed ones carry sealed: true and no message; opened ones their deliveredAt.',
  })
  @ApiOkResponse({ type: CapsuleListDto })
  @ApiErrorResponses(401)
  async list(@CurrentUser() user: AuthUser): Promise<CapsuleListDto> {
    return { items: await this.capsules.list(user.id) };
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One of your capsules',
    description: "Sealed: no message. Anyone else's capsule answers 404, as an unknown id does.",
  })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: CapsuleDto })
  @ApiErrorResponses(400, 401, 404)
  get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<CapsuleDto> {
    return this.capsules.get(user.id, id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Cancel one of your sealed capsules; no refund',
    description:
      'The capsule and its message are deleted. One already delivered answers 409 CONFLICT ' +
      "(it stays readable); anyone else's answers 404.",
  })
  @ApiObjectIdParam('id')
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiErrorResponses(400, 401, 404, 409)
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.capsules.cancel(user.id, id);
  }
}
