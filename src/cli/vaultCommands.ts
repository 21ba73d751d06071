/**
 * `tributary vault rotate-key`: re-seals every credential, PKCE verifier, destination secret and webhook secret
 * under a new master key (see `src/vault/rotation.ts`). It opens the store itself (not through a server): in
 * embedded mode the store lock refuses it while the server runs; in server mode every server and worker must be
 * stopped first (docs/operations.md, "Rotating the master key").
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { connectorEnvVars } from '../connectors/registry.ts';
import { openStore } from '../store/open.ts';
import { rotateMasterKey } from '../vault/rotation.ts';
import { loadMasterKey } from '../vault/vault.ts';
import type { CliSession } from './session.ts';

/** Registers `vault rotate-key`. */
export function registerVaultCommands(program: Command, session: CliSession): void {
  const vault = program.command('vault').description('Manage the credential vault');
  vault
    .command('rotate-key')
    .description(
      'Re-seal every stored secret under a new master key (stop every server and worker first), then replace the key',
    )
    .action(async () => {
      const config = loadConfig(connectorEnvVars);
      if (config.storeInMemory) throw new Error('TRIBUTARY_STORE=memory keeps nothing to rotate');
      const currentKey = loadMasterKey(config.masterKey, config.home);
      const store = await openStore(config);
      let result: Awaited<ReturnType<typeof rotateMasterKey>>;
      try {
        result = await rotateMasterKey(store.db, {
          home: config.home,
          currentKey,
          fromEnvironment: config.masterKey !== null,
          now: new Date(),
        });
      } finally {
        await store.close();
      }
      if (session.json()) {
        const { location, ...summary } = result;
        session.print(JSON.stringify({ ...summary, location }, null, 2));
        return;
      }
      session.print(`Re-sealed ${result.total} secrets: key ${result.oldKeyId} → ${result.newKeyId}`);
      for (const [column, count] of Object.entries(result.resealed)) session.print(`  ${column}: ${count}`);
      if (result.location.kind === 'file') {
        session.print(`New key written to ${result.location.file}`);
        session.print(
          `Old key kept as ${result.location.previousFile} (delete it once backups no longer need it)`,
        );
      } else {
        session.print(
          'The master key comes from TRIBUTARY_MASTER_KEY: set it to this new key on every process now:',
        );
        session.print(`  TRIBUTARY_MASTER_KEY=${result.location.key}`);
        session.print(
          `It is also in ${result.location.pendingFile}; delete that file once the variable is updated.`,
        );
      }
    });
}
