import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  type AuthUser,
  CurrentUser,
  DEFAULT_PAGE_SIZE,
  mapPage,
  PageQueryDto,
} from '@app/common';
import { BalanceDto, LedgerPageDto, toLedgerEntry } from './dto/tokens.dto';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({ summary: 'Your token balance' })
  @ApiOkResponse({ type: BalanceDto })
  @ApiErrorResponses(401)
  async balance(@CurrentUser() user: AuthUser): Promise<BalanceDto> {
    return { balance: await this.tokens.balance(user.id) };
  }

  @Get('ledger')
  @ApiOperation({ summary: 'Your ledger, newest first; the deltas sum to your balance' })
  @ApiOkResponse({ type: LedgerPageDto })
  @ApiErrorResponses(400, 401)
  async ledger(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
  ): Promise<LedgerPageDto> {
    const page = await this.tokens.ledger(user.id, query.cursor, query.limit ?? DEFAULT_PAGE_SIZE);
    return mapPage(page, toLedgerEntry);
  }
}
