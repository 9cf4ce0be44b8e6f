import { Module } from '@nestjs/common';
import { ProbesModule } from '@app/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { exitOnStartupFailure, startServer } from '../../apps/api/src/server';

@Module({ imports: [AppModule, ProbesModule] })
class ProbeServerModule {}

startServer(ProbeServerModule).catch(exitOnStartupFailure);
