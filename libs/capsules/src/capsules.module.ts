import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TokensModule } from '@app/tokens';
import { UsersModule } from '@app/users';
import { CapsuleInstance } from './capsule-instance';
import { Capsule, CapsuleSchema } from './capsule.schema';
import { CapsulesController } from './capsules.controller';
import { CapsulesRepository } from './capsules.repository';
import { CapsulesScheduler } from './capsules.scheduler';
import { CapsulesService } from './capsules.service';

/** Needs ScheduleModule.forRoot() in the app (for the SchedulerRegistry). */
@Module({
  imports: [
    TokensModule,
    UsersModule,
    MongooseModule.forFeature([{ name: Capsule.name, schema: CapsuleSchema }]),
  ],
  controllers: [CapsulesController],
  providers: [CapsuleInstance, CapsulesRepository, CapsulesScheduler, CapsulesService],
  exports: [CapsulesService],
})
export class CapsulesModule {}
