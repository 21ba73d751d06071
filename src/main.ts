/**
 * `npm start`: serves the product in embedded mode (or server mode when DATABASE_URL is set).
 */
import { loadConfig } from './config.ts';
import { connectorEnvVars } from './connectors/registry.ts';
import { startRuntime } from './runtime.ts';
import { usersRepository } from './store/usersRepository.ts';

/** Starts a server or worker process and stops it cleanly on SIGINT/SIGTERM. */
export async function runProcess(role: 'serve' | 'worker'): Promise<void> {
  const config = loadConfig(connectorEnvVars);
  const runtime = await startRuntime({ config, role });
  if (role === 'serve') {
    process.stdout.write(`Tributary is running at ${runtime.url}\n`);
    if ((await usersRepository.count(runtime.store.db)) === 0)
      process.stdout.write(
        `First run: open ${runtime.url} in a browser on this machine to create the owner account.\n`,
      );
  } else process.stdout.write('Tributary worker is running\n');
  const stop = async () => {
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runProcess('serve').catch((error: unknown) => {
    process.stderr.write(
      `Tributary could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
