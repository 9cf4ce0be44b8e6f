import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TokensModule } from '@app/tokens';
import { Coupon, CouponRedemption, CouponRedemptionSchema, CouponSchema } from './coupon.schema';
import { CouponsRepository } from './coupons.repository';
import { CouponsService } from './coupons.service';
import { RedeemController } from './redeem.controller';

@Module({
  imports: [
    TokensModule,
    MongooseModule.forFeature([
      { name: Coupon.name, schema: CouponSchema },
      { name: CouponRedemption.name, schema: CouponRedemptionSchema },
    ]),
  ],
  controllers: [RedeemController],
  providers: [CouponsRepository, CouponsService],
  exports: [CouponsService],
})
export class CouponsModule {}
