/**
 * Builds the web app when its sources are newer than the last build (or there is none), so
 * `npm start` and the browser tests always serve the current UI without a separate step.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const stampFile = join(webDir, 'dist', '.build-stamp');
const sources = [
  join(webDir, 'src'),
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(webDir, '..', 'src', 'contract'),
  join(webDir, '..', 'src', 'domain'),
  join(webDir, '..', 'src', 'connectors', 'kit'),
];

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs `vite build` unless web/dist is already newer than every source it is built from. */
export async function ensureWebBuild(options: { quiet?: boolean } = {}): Promise<'built' | 'current'> {
  const sourceTime = Math.max(...sources.filter(existsSync).map(newestMtime));
  if (existsSync(stampFile) && statSync(stampFile).mtimeMs >= sourceTime) return 'current';
  const { build } = await import('vite');
  // Build beside dist, then move in assets first and index.html last: a server (or another
  // build) running meanwhile never sees an index that names assets not there yet.
  const staging = join(webDir, `.dist-${process.pid}`);
  const dist = join(webDir, 'dist');
  // vitest sets NODE_ENV=test, which would make React's development build: several times slower,
  // and then served by `npm start` as "current". The app is always built for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      mode: 'production',
      configFile: join(webDir, 'vite.config.ts'),
      logLevel: options.quiet ? 'error' : 'info',
      build: { outDir: staging, emptyOutDir: true },
    });
    mkdirSync(join(dist, 'assets'), { recursive: true });
    for (const asset of readdirSync(join(staging, 'assets')))
      copyFileSync(join(staging, 'assets', asset), join(dist, 'assets', asset));
    renameSync(join(staging, 'index.html'), join(dist, 'index.html'));
    writeFileSync(stampFile, new Date().toISOString());
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    rmSync(staging, { recursive: true, force: true });
  }
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureWebBuild({ quiet: process.argv.includes('--quiet') });
}
