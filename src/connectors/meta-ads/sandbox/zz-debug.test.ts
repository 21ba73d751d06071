import { it } from 'vitest';
import { graph, login, startSandbox } from './test-harness.ts';

it('debug', async () => {
  const s = await startSandbox();
  const { longToken } = await login(s, 'alex@example.com');
  s.state.addFault('meta-ads', 'hang', 1);
  await graph(s, '/me', longToken, { signal: AbortSignal.timeout(300) }).catch((e) => console.log('aborted', String(e)));
  s.app.server.getConnections((err, n) => console.log('connections', err, n));
  const t = Date.now();
  await s.close();
  console.log('close took', Date.now() - t);
});
