import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { reportError } from './report-error.js';

// Versions are pinned in the lockfile; the SDK's notice about 2027 releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('stockalert')
  .description('StockAlert command line. Run `npm run stockalert -- <command> --help` for a command.')
  .showHelpAfterError('(add --help for usage)');
for (const register of COMMANDS) register(program);

program.parseAsync().catch((error: unknown) => {
  reportError(error);
  process.exitCode = 1;
});
