/**
 * Serves the built web app (web/dist) at `/`: files by path, and index.html for every other
 * page URL so deep links and reloads work. API and sandbox paths never fall through to it.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Where `vite build` writes the app. */
export const webDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Tributary</title>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto">
<h1>Tributary</h1><p>The web app is not built. Run <code>npm start</code> (it builds it), or
<code>npm run build:web</code>. The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>`;

/** Whether a path belongs to the server rather than the app (so it keeps its JSON 404). */
function isServerPath(path: string): boolean {
  return path.startsWith('/api/') || path.startsWith('/sandbox/') || path === '/metrics';
}

/** Registers the app's routes; `onMissing` answers server paths that no route matched. */
export function registerWebApp(
  app: FastifyInstance,
  onMissing: (method: string, url: string) => { status: number; body: unknown },
): void {
  const root = webDistDir;
  // Read per request (it is small): a rebuild while the server runs is served at once.
  const index = () =>
    existsSync(join(root, 'index.html')) ? readFile(join(root, 'index.html'), 'utf8') : notBuiltPage;

  app.get('/*', async (request, reply) => {
    const path = safeDecode(request.url.split('?')[0] ?? '/');
    if (isServerPath(path)) {
      const missing = onMissing(request.method, request.url);
      return reply.code(missing.status).send(missing.body);
    }
    if (path.startsWith('/assets/')) {
      const file = normalize(join(root, path));
      // normalize() resolves "..": a path that leaves dist is refused like a missing file.
      const info = file.startsWith(root) ? await stat(file).catch(() => null) : null;
      if (!info?.isFile()) {
        const missing = onMissing(request.method, request.url);
        return reply.code(missing.status).send(missing.body);
      }
      // Asset names carry a content hash: they never change, so browsers may keep them.
      return reply
        .type(contentTypes[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(await readFile(file));
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await index());
  });
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
