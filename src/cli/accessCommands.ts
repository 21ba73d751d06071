/**
 * Signing in from the CLI and managing API tokens: `tributary setup` (first run: creates the owner
 * on a server that has none), `tributary login` (prints a new API token for TRIBUTARY_TOKEN),
 * `tributary owner create` (server mode, before the server may listen beyond loopback: writes the
 * owner straight into the store), `tributary users sign-in-link` (the operator's way back in for
 * someone who lost their password: also straight in the store), `tributary tokens list|create|revoke`.
 * Passwords are read from standard input, never from arguments (they would land in shell history and `ps`).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { createTokenOverHttp, setupOwnerOverHttp, signInOverHttp } from '../access/apiSignIn.ts';
import { createOwner, issueSignInLinkFor, signInLinkMinutes } from '../access/signIn.ts';
import { loadConfig } from '../config.ts';
import { connectorEnvVars } from '../connectors/registry.ts';
import { MIN_PASSWORD_LENGTH, type Role, roles } from '../domain/access.ts';
import { configuredPublicUrl } from '../runtime.ts';
import { openStore } from '../store/open.ts';
import { renderTable } from './format.ts';
import type { CliSession } from './session.ts';

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!password) throw new Error('Send the password on standard input');
  return password;
}

function parseMinutes(value: string): number {
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > signInLinkMinutes.max)
    throw new InvalidArgumentError(`A whole number of minutes from 1 to ${signInLinkMinutes.max}.`);
  return minutes;
}

function checkRole(value: string | undefined): Role | undefined {
  if (value === undefined) return undefined;
  if (!(roles as readonly string[]).includes(value))
    throw new Error(`--role must be one of ${roles.join(', ')}`);
  return value as Role;
}

/** Registers `setup`, `login`, `owner create`, `users sign-in-link` and `tokens …`. */
export function registerAccessCommands(program: Command, session: CliSession): void {
  program
    .command('setup')
    .description(
      'First run: create the owner account on this machine’s server (password on stdin) and print an API token',
    )
    .requiredOption('--email <email>', 'the owner’s email')
    .option('--name <name>', 'the owner’s name', '')
    .action(async (options: { email: string; name: string }) => {
      const password = await readPassword();
      const signedIn = await setupOwnerOverHttp(session.url(), {
        email: options.email,
        password,
        name: options.name,
      });
      const token = await createTokenOverHttp(session.url(), signedIn, { name: 'CLI (setup)' });
      session.print(
        session.json() ? JSON.stringify({ token }) : `Owner created. API token (shown once):\n${token}`,
      );
    });

  program
    .command('login')
    .description('Sign in (password on stdin) and print a new API token for TRIBUTARY_TOKEN')
    .requiredOption('--email <email>', 'your email')
    .option('--role <role>', 'the token’s role (at most yours)')
    .option('--workspace <id>', 'the workspace (default: your first)')
    .action(async (options: { email: string; role?: string; workspace?: string }) => {
      const signedIn = await signInOverHttp(session.url(), options.email, await readPassword());
      const token = await createTokenOverHttp(session.url(), signedIn, {
        name: `CLI (${new Date().toISOString().slice(0, 10)})`,
        ...(options.role ? { role: checkRole(options.role)! } : {}),
        ...(options.workspace ? { workspaceId: options.workspace } : {}),
      });
      session.print(session.json() ? JSON.stringify({ token }) : `API token (shown once):\n${token}`);
    });

  program
    .command('owner')
    .description('The owner account')
    .command('create')
    .description('Create the owner straight in the store (server mode, before listening beyond loopback)')
    .requiredOption('--email <email>', 'the owner’s email')
    .option('--name <name>', 'the owner’s name', '')
    .action(async (options: { email: string; name: string }) => {
      const password = await readPassword();
      if (password.length < MIN_PASSWORD_LENGTH)
        throw new Error(`The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
      const config = loadConfig(connectorEnvVars);
      const store = await openStore(config);
      try {
        await createOwner(store.db, { email: options.email, password, name: options.name }, new Date());
      } finally {
        await store.close();
      }
      session.print(`Owner ${options.email} created; sign in at the server or with \`tributary login\`.`);
    });

  const users = program.command('users').description('People with an account (straight in the store)');
  users
    .command('sign-in-link <email>')
    .description(
      'Print a one-time sign-in link for a user: account recovery (the page lets them choose a new password) ' +
        'or a first sign-in on a server. Embedded mode: stop the server first (one process owns the store)',
    )
    .option('--expires-in <minutes>', 'how long the link works', parseMinutes, signInLinkMinutes.default)
    .action(async (email: string, options: { expiresIn: number }) => {
      const config = loadConfig(connectorEnvVars);
      const store = await openStore(config);
      const link = await issueSignInLinkFor(
        store.db,
        configuredPublicUrl(config),
        email,
        new Date(),
        options.expiresIn * 60_000,
      ).finally(() => store.close());
      // The address is a guess without TRIBUTARY_PUBLIC_URL: say so rather than hand out a link that leads nowhere.
      if (!config.publicUrl)
        process.stderr.write(
          'TRIBUTARY_PUBLIC_URL is not set, so the link names this machine: open it here, or put the address ' +
            'people reach the server at in front of /sign-in/link.\n',
        );
      if (session.json())
        return session.print(
          JSON.stringify({ email: link.email, url: link.url, expiresAt: link.expiresAt.toISOString() }),
        );
      session.print(
        `One-time sign-in link for ${link.email} (works once, until ${link.expiresAt.toISOString()}):\n${link.url}`,
      );
    });

  const tokens = program.command('tokens').description('API tokens of your workspace');
  tokens
    .command('list')
    .description('List tokens (yours; an admin sees everyone’s)')
    .action(async () => {
      const { items } = await session.client().call('listTokens');
      if (session.json()) return session.print(JSON.stringify(items, null, 2));
      session.print(
        renderTable(
          ['ID', 'NAME', 'ROLE', 'USER', 'PREFIX', 'LAST USED', 'STATE'],
          items.map((t) => [
            t.id,
            t.name,
            t.role,
            t.userEmail,
            `${t.prefix}…`,
            t.lastUsedAt ?? 'never',
            t.revokedAt ? 'revoked' : 'active',
          ]),
        ),
      );
    });
  tokens
    .command('create')
    .description('Create a token (the secret is printed once)')
    .requiredOption('--name <name>', 'what it is for')
    .option('--role <role>', 'at most your role')
    .option('--expires-in-days <days>', 'expiry', (value) => Number(value))
    .action(async (options: { name: string; role?: string; expiresInDays?: number }) => {
      const role = checkRole(options.role);
      const created = await session.client().call('createToken', {
        body: {
          name: options.name,
          ...(role ? { role } : {}),
          ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}),
        },
      });
      session.print(
        session.json()
          ? JSON.stringify(created, null, 2)
          : `Token ${created.item.id} (shown once):\n${created.token}`,
      );
    });
  tokens
    .command('revoke <id>')
    .description('Revoke a token; it stops working at once')
    .action(async (id: string) => {
      await session.client().call('revokeToken', { params: { id } });
      session.print(`Revoked ${id}`);
    });
}
