/**
 * The `tributary` CLI: manages connections through a running server's API (same contract types
 * as the API), and starts server or worker processes.
 */
import readline from 'node:readline/promises';
import { Command, Option } from 'commander';
import { type ApiClient, ApiError, createApiClient } from '../contract/client.ts';
import { connectionSortKeys } from '../domain/connection.ts';
import { runProcess } from '../main.ts';
import { accountStatusLabel, connectionDetails, connectionsTable } from './format.ts';

const program = new Command('tributary')
  .description('Tributary — marketing-data integration: connections, accounts, extractions')
  .option('--url <url>', 'server URL', process.env.TRIBUTARY_URL ?? 'http://127.0.0.1:4400')
  .option('--json', 'print JSON instead of tables')
  .showHelpAfterError();

function client(): ApiClient {
  return createApiClient({ baseUrl: program.opts<{ url: string }>().url });
}
const json = () => program.opts<{ json?: boolean }>().json === true;
const print = (text: string) => process.stdout.write(`${text}\n`);

/** Waits until discovery has settled, printing progress. */
async function waitForAccounts(api: ApiClient, id: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let dots = 0;
  for (;;) {
    const connection = await api.call('getConnection', { params: { id } });
    if (connection.accountStatus !== 'loading') {
      if (!json() && dots > 0) process.stderr.write('\n');
      return connection;
    }
    if (Date.now() > deadline) throw new Error(`Accounts still loading after ${timeoutMs / 1000} s`);
    if (!json()) process.stderr.write(dots === 0 ? 'Loading accounts' : '.');
    dots += 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Approves a sandbox authorization without a browser, as the chosen seeded user. */
async function approveInSandbox(authorizationUrl: string, email: string): Promise<void> {
  const url = new URL(authorizationUrl);
  url.searchParams.set('sandbox_approve', email);
  const consent = await fetch(url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (!location)
    throw new Error(
      `The sandbox refused the approval: ${(await consent.text()).replace(/<[^>]+>/g, ' ').trim()}`,
    );
  const callback = await fetch(location, { redirect: 'manual', headers: { accept: 'application/json' } });
  if (callback.status >= 400) {
    const body = (await callback.json().catch(() => null)) as {
      error?: { code: string; message: string };
    } | null;
    throw new ApiError(
      callback.status,
      body?.error?.code ?? 'unexpected_response',
      body?.error?.message ?? 'Authorization failed',
    );
  }
}

const connections = program.command('connections').description('Connected sources');

connections
  .command('list')
  .description('List connections')
  .option('--search <text>', 'match data source name or business account')
  .addOption(new Option('--sort <key>', 'sort column').choices([...connectionSortKeys]))
  .addOption(new Option('--order <order>', 'sort order').choices(['asc', 'desc']))
  .option('--limit <n>', 'rows per page', '50')
  .option('--all', 'follow every page')
  .action(
    async (options: {
      search?: string;
      sort?: (typeof connectionSortKeys)[number];
      order?: 'asc' | 'desc';
      limit: string;
      all?: boolean;
    }) => {
      const api = client();
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await api.call('listConnections', {
          query: {
            search: options.search,
            sort: options.sort,
            order: options.order,
            limit: Number(options.limit),
            cursor,
          },
        });
        items.push(...page.items);
        cursor = options.all ? (page.nextCursor ?? undefined) : undefined;
      } while (cursor);
      print(
        json()
          ? JSON.stringify(items, null, 2)
          : items.length
            ? connectionsTable(items)
            : 'No connections yet. Make one with: tributary connections create meta-ads',
      );
    },
  );

connections
  .command('show <id>')
  .description('Show a connection with its configuration and accounts')
  .action(async (id: string) => {
    const connection = await client().call('getConnection', { params: { id } });
    print(json() ? JSON.stringify(connection, null, 2) : connectionDetails(connection));
  });

connections
  .command('create <source>')
  .description('Make a new connection; prints the URL to authorize at')
  .option('--sandbox-user <email>', 'complete a sandbox authorization as this seeded user, without a browser')
  .option('--timeout <seconds>', 'how long to wait for accounts', '120')
  .action(async (source: string, options: { sandboxUser?: string; timeout: string }) => {
    const api = client();
    const created = await api.call('createConnection', { body: { dataSource: source } });
    if (!options.sandboxUser) {
      print(
        json()
          ? JSON.stringify(created, null, 2)
          : `Created connection ${created.connection.id}.\nAuthorize it at:\n${created.authorizationUrl}`,
      );
      return;
    }
    await approveInSandbox(created.authorizationUrl!, options.sandboxUser);
    const connection = await waitForAccounts(api, created.connection.id, Number(options.timeout) * 1000);
    print(json() ? JSON.stringify(connection, null, 2) : connectionDetails(connection));
  });

connections
  .command('sync-accounts <id>')
  .description('Discover the accounts behind a connection now, and wait for the result')
  .option('--timeout <seconds>', 'how long to wait', '120')
  .action(async (id: string, options: { timeout: string }) => {
    const api = client();
    await api.call('syncConnectionAccounts', { params: { id } });
    const connection = await waitForAccounts(api, id, Number(options.timeout) * 1000);
    if (json()) print(JSON.stringify(connection, null, 2));
    else if (connection.accountStatus === 'error' && connection.statusDetails) {
      print(
        `Account sync failed: ${connection.statusDetails.message}\nWhat to do: ${connection.statusDetails.remedy}`,
      );
      process.exitCode = 2;
    } else print(`${accountStatusLabel(connection)} (synced ${connection.accountsSyncedAt})`);
  });

connections
  .command('reconnect <id>')
  .description('Authorize a connection again; prints the URL')
  .option('--sandbox-user <email>', 'complete a sandbox authorization as this seeded user')
  .action(async (id: string, options: { sandboxUser?: string }) => {
    const api = client();
    const { authorizationUrl } = await api.call('reconnectConnection', { params: { id } });
    if (!options.sandboxUser) {
      print(json() ? JSON.stringify({ authorizationUrl }) : `Authorize again at:\n${authorizationUrl}`);
      return;
    }
    await approveInSandbox(authorizationUrl!, options.sandboxUser);
    const connection = await waitForAccounts(api, id, 120_000);
    print(json() ? JSON.stringify(connection, null, 2) : connectionDetails(connection));
  });

connections
  .command('delete <id>')
  .description('Delete a connection (data already loaded is kept)')
  .option('-y, --yes', 'do not ask for confirmation')
  .action(async (id: string, options: { yes?: boolean }) => {
    const api = client();
    const connection = await api.call('getConnection', { params: { id } });
    if (!options.yes) {
      const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
      const answer = await prompt.question(
        `Delete the ${connection.dataSource.name} connection of ${connection.businessAccount ?? 'an unauthorized user'}?\n` +
          'Extraction stops and the stored credential is removed; data already loaded stays in your destination. [y/N] ',
      );
      prompt.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        print('Nothing deleted.');
        return;
      }
    }
    await api.call('deleteConnection', { params: { id } });
    print(json() ? JSON.stringify({ deleted: id }) : `Deleted connection ${id}.`);
  });

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
