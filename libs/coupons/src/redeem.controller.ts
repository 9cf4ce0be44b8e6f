import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, type AuthUser, CurrentUser } from '@app/common';
import { RateLimit } from '@app/rate-limit';
import { COUPON_REDEEM } from './coupons.rate-limits';
import { CouponsService } from './coupons.service';
import { RedeemCouponDto, RedeemResultDto } from './dto/redeem-coupon.dto';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('tokens/redeem')
export class RedeemController {
  constructor(private readonly coupons: CouponsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @RateLimit(COUPON_REDEEM)
  @ApiOperation({
    summary: 'Redeem a coupon code for tokens',
    description:
      'Each user redeems a coupon once; 400 COUPON_INVALID when the code is unknown, expired, ' +
      'used up, inactive or deleted; 409 CONFLICT when you already redeemed it. ' +
      'Rate limited per user (COUPON_REDEEM_RATE_PER_MINUTE), so codes cannot be guessed.',
  })
  @ApiOkResponse({ type: RedeemResultDto })
  @ApiErrorResponses(400, 401, 409)
  redeem(@CurrentUser() user: AuthUser, @Body() body: RedeemCouponDto): Promise<RedeemResultDto> {
    return this.coupons.redeem(user.id, body.code);
  }
}
