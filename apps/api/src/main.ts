import { AppModule } from './app.module';
import { exitOnStartupFailure, startServer } from './server';

startServer((config) => AppModule.forRoot(config)).catch(exitOnStartupFailure);
