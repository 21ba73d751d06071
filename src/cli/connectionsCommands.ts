/**
 * `tributary connections …`: the Connected Sources list and each connection's lifecycle.
 */
import readline from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { connectionSortKeys } from '../domain/connection.ts';
import { accountStatusLabel, connectionDetails, connectionsTable } from './format.ts';
import { approveInSandbox, type CliSession, waitForAccounts } from './session.ts';

/** Registers `connections list|show|create|sync-accounts|reconnect|delete`. */
export function registerConnectionCommands(program: Command, session: CliSession): void {
  const { print } = session;
  const client = () => session.client();
  const json = () => session.json();
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
    .option(
      '--sandbox-user <email>',
      'complete a sandbox authorization as this seeded user, without a browser',
    )
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
      const connection = await waitForAccounts(
        session,
        api,
        created.connection.id,
        Number(options.timeout) * 1000,
      );
      print(json() ? JSON.stringify(connection, null, 2) : connectionDetails(connection));
    });

  connections
    .command('sync-accounts <id>')
    .description('Discover the accounts behind a connection now, and wait for the result')
    .option('--timeout <seconds>', 'how long to wait', '120')
    .action(async (id: string, options: { timeout: string }) => {
      const api = client();
      await api.call('syncConnectionAccounts', { params: { id } });
      const connection = await waitForAccounts(session, api, id, Number(options.timeout) * 1000);
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
      const connection = await waitForAccounts(session, api, id, 120_000);
      print(json() ? JSON.stringify(connection, null, 2) : connectionDetails(connection));
    });

  connections
    .command('accounts <id>')
    .description('Choose the accounts extractions may use: all (including later ones) or a selection')
    .option('--all', 'every account, including ones discovered later (the default)')
    .option('--select <ids>', 'only these account ids, comma-separated')
    .action(async (id: string, options: { all?: boolean; select?: string }) => {
      const ids = (options.select ?? '')
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean);
      if (Boolean(options.all) === ids.length > 0) throw new Error('Give either --all or --select <ids>');
      const connection = await client().call('updateConnectionAccounts', {
        params: { id },
        body: options.all ? { sync: 'all' } : { sync: 'selected', accountIds: ids },
      });
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
}
