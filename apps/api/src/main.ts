import { AppModule } from './app.module';
import { exitOnStartupFailure, startServer } from './server';

startServer(AppModule).catch(exitOnStartupFailure);
