import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Probe, ProbeSchema } from './probe.schema';
import { ProbesController } from './probes.controller';
import { ProbesService } from './probes.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Probe.name, schema: ProbeSchema }])],
  controllers: [ProbesController],
  providers: [ProbesService],
})
export class ProbesModule {}
