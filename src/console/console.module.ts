import { Module, type DynamicModule } from '@nestjs/common';
import { ConsoleController, CONSOLE_ASSETS } from './console.controller';
import { loadConsoleAssets } from './console-assets';
import { MicrosoftModule } from '../microsoft/microsoft.module';
import { ConsoleSessions } from './console-sessions';
import { EntraSignIn } from './entra-sign-in';
import { SessionsController } from './sessions.controller';
import { WhoamiController } from './whoami.controller';

/** The web console's files and the API the console needs beyond the ledger's own (who am I, sessions). */
@Module({})
export class ConsoleModule {
  static forRoot(consoleDir?: string): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [MicrosoftModule],
      controllers: [ConsoleController, WhoamiController, SessionsController],
      providers: [
        ConsoleSessions,
        EntraSignIn,
        { provide: CONSOLE_ASSETS, useFactory: () => loadConsoleAssets(consoleDir) },
      ],
      exports: [ConsoleSessions],
    };
  }
}
