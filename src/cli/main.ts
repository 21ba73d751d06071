/**
 * The `tributary` CLI: manages connections and extractions through a running server's API (same
 * contract types as the API), and starts server or worker processes.
 */
import { Command } from 'commander';
import { cliEnvironment } from '../config.ts';
import { ApiError } from '../contract/client.ts';
import { runProcess } from '../main.ts';
import { registerAccessCommands } from './accessCommands.ts';
import { registerConnectionCommands } from './connectionsCommands.ts';
import { registerExtractionCommands } from './extractionsCommands.ts';
import { cliSession } from './session.ts';
import { registerVaultCommands } from './vaultCommands.ts';

const defaults = cliEnvironment();
const program = new Command('tributary')
  .description('Tributary — marketing-data integration: connections, accounts, extractions')
  .option('--url <url>', 'server URL (TRIBUTARY_URL)', defaults.url)
  .option('--token <token>', 'API token (TRIBUTARY_TOKEN; make one with `tributary login`)', defaults.token)
  .option('--json', 'print JSON instead of tables')
  .showHelpAfterError();

const session = cliSession(program);
registerConnectionCommands(program, session);
registerExtractionCommands(program, session);
registerVaultCommands(program, session);
registerAccessCommands(program, session);

program
  .command('serve')
  .description('Run the server (API, sandbox, workers)')
  .action(() => runProcess('serve'));
program
  .command('worker')
  .description('Run only job workers (server mode, DATABASE_URL)')
  .action(() => runProcess('worker'));

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ApiError && error.code === 'authentication_required')
    process.stderr.write(
      `Error (${error.code}): ${error.message}\nSign in with \`tributary login --email you@example.com\` and set TRIBUTARY_TOKEN (or pass --token).\n`,
    );
  else if (error instanceof ApiError) process.stderr.write(`Error (${error.code}): ${error.message}\n`);
  else if (error instanceof TypeError && /fetch failed/.test(error.message)) {
    process.stderr.write(
      `Cannot reach the Tributary server at ${program.opts<{ url: string }>().url}; is it running (npm start)?\n`,
    );
  } else process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
