import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RoomsModule } from '@app/rooms';
import {
  Sponsor,
  SponsorImpression,
  SponsorImpressionSchema,
  SponsorSchema,
} from './sponsor.schema';
import { SponsorsController } from './sponsors.controller';
import { SponsorsRepository } from './sponsors.repository';
import { SponsorsService } from './sponsors.service';
import { CryptoRandomSource, RandomSource } from './weighted-pick';

@Module({
  imports: [
    RoomsModule,
    MongooseModule.forFeature([
      { name: Sponsor.name, schema: SponsorSchema },
      { name: SponsorImpression.name, schema: SponsorImpressionSchema },
    ]),
  ],
  controllers: [SponsorsController],
  providers: [
    SponsorsRepository,
    SponsorsService,
    { provide: RandomSource, useClass: CryptoRandomSource },
  ],
  exports: [SponsorsService],
})
export class SponsorsModule {}
