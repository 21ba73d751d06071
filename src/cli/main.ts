/**
 * The `tributary` CLI: manages connections and extractions through a running server's API (same
 * contract types as the API), and starts server or worker processes.
 */
import { Command } from 'commander';
import { ApiError } from '../contract/client.ts';
import { runProcess } from '../main.ts';
import { registerConnectionCommands } from './connectionsCommands.ts';
import { registerExtractionCommands } from './extractionsCommands.ts';
import { cliSession } from './session.ts';
import { registerVaultCommands } from './vaultCommands.ts';

const program = new Command('tributary')
  .description('Tributary — marketing-data integration: connections, accounts, extractions')
  .option('--url <url>', 'server URL', process.env.TRIBUTARY_URL ?? 'http://127.0.0.1:4400')
  .option('--json', 'print JSON instead of tables')
  .showHelpAfterError();

const session = cliSession(program);
registerConnectionCommands(program, session);
registerExtractionCommands(program, session);
registerVaultCommands(program, session);

program
  .command('serve')
  .description('Run the server (API, sandbox, workers)')
  .action(() => runProcess('serve'));
program
  .command('worker')
  .description('Run only job workers (server mode, DATABASE_URL)')
  .action(() => runProcess('worker'));

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ApiError) process.stderr.write(`Error (${error.code}): ${error.message}\n`);
  else if (error instanceof TypeError && /fetch failed/.test(error.message)) {
    process.stderr.write(
      `Cannot reach the Tributary server at ${program.opts<{ url: string }>().url}; is it running (npm start)?\n`,
    );
  } else process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
