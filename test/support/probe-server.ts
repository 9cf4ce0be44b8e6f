import { AppModule } from '../../apps/api/src/app.module';
import { exitOnStartupFailure, startServer } from '../../apps/api/src/server';
import { ProbesModule } from './probes/probes.module';

startServer((config) => ({
  module: ProbesModule,
  imports: [AppModule.forRoot(config)],
})).catch(exitOnStartupFailure);
