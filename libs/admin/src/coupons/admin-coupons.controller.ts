import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
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
  Roles,
} from '@app/common';
import {
  CouponDto,
  CouponListQueryDto,
  CouponPageDto,
  CreateCouponDto,
  UpdateCouponDto,
} from './admin-coupons.dto';
import { AdminCouponsService } from './admin-coupons.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/coupons')
export class AdminCouponsController {
  constructor(private readonly coupons: AdminCouponsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a coupon (audited as coupon.create)',
    description: 'A code already used by another coupon, even a deleted one, answers 409.',
  })
  @ApiCreatedResponse({ type: CouponDto })
  @ApiErrorResponses(400, 409)
  create(@CurrentUser() admin: AuthUser, @Body() body: CreateCouponDto): Promise<CouponDto> {
    return this.coupons.create(admin, body);
  }

  @Get()
  @ApiOperation({ summary: 'Coupons, newest first, with their redemption counts' })
  @ApiOkResponse({ type: CouponPageDto })
  @ApiErrorResponses(400)
  list(@Query() query: CouponListQueryDto): Promise<CouponPageDto> {
    return this.coupons.list(query);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a coupon (audited as coupon.update)',
    description: 'maxRedemptions below the redemptions so far answers 409.',
  })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: CouponDto })
  @ApiErrorResponses(400, 404, 409)
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateCouponDto,
  ): Promise<CouponDto> {
    return this.coupons.update(admin, id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a coupon (audited as coupon.delete)',
    description: 'Soft delete: it stops redeeming; past redemptions and ledger entries stay.',
  })
  @ApiObjectIdParam('id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 404)
  delete(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<void> {
    return this.coupons.delete(admin, id);
  }
}
