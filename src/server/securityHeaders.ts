/**
 * Security headers on every response: a Content-Security-Policy the web app passes, no MIME sniffing, no framing,
 * no referrer (OAuth callback URLs carry codes and states), and a separate browsing-context group for our pages.
 * A route that sets its own policy keeps it: the sandbox consent pages send a stricter one of their own
 * (`src/sandbox/consent-page.ts`), with inline styles and a form posted back to themselves.
 */
import type { FastifyInstance } from 'fastify';

/**
 * The web app's policy. Scripts come from our own origin only (Vite emits module files, no inline script).
 * Styles need `'unsafe-inline'`: Mantine injects `<style>` elements at run time and sets `style` attributes on
 * components, and neither can carry a nonce. Inline styles cannot run code, so the trade is the usual one.
 * `data:` images cover the empty favicon (`<link rel="icon" href="data:,">`) and Mantine's inline SVG icons.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers every response carries unless its route already set them. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Adds {@link securityHeaders} to every response (errors and 404s included), keeping any a route set itself. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeaders)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    return payload;
  });
}
