/**
 * HTML of the sandbox's Google consent page (`/o/oauth2/v2/auth`): choose a seeded account or cancel, and the
 * "Authorization Error" page shown instead when the request itself is wrong. Plain HTML with inline CSS: no
 * scripts, nothing loaded, every value escaped.
 */
import type { FastifyReply } from 'fastify';
import type { ConsentLinks } from '../../../sandbox/authorization-request.ts';
import {
  escapeHtml,
  renderErrorBox,
  renderSandboxPage,
  renderUserPicker,
  type SandboxPageFrame,
  sandboxPageHeaders,
  sendSandboxPage,
} from '../../../sandbox/consent-page.ts';
import { SANDBOX_APP_NAME } from './constants.ts';
import type { SeedUser } from './seed.ts';

/** Locks the page down: inline styles only, nothing loaded, no framing. */
const pageSecurityHeaders = sandboxPageHeaders();

/** Sends one of this sandbox's pages, locked down. */
export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return sendSandboxPage(reply, pageSecurityHeaders, status, html);
}

const styles = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 Roboto, "Segoe UI", Helvetica, Arial, sans-serif; background: #f0f4f9;
    color: #1f1f1f; }
  main { max-width: 480px; margin: 48px auto; background: #fff; border-radius: 28px; padding: 36px 36px 24px; }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase;
    color: #7a4f00; background: #ffefc7; border-radius: 4px; padding: 2px 8px; }
  h1 { font-size: 24px; font-weight: 400; margin: 14px 0 6px; }
  h2 { font-size: 14px; margin: 22px 0 8px; color: #444746; font-weight: 500; }
  ul { list-style: none; padding: 0; margin: 0; }
  .users li { border-top: 1px solid #e1e3e1; }
  .users li:last-child { border-bottom: 1px solid #e1e3e1; }
  .user { display: block; padding: 12px 8px; text-decoration: none; color: inherit; }
  .user:hover, .user:focus { background: #f2f6fc; outline: 2px solid #0b57d0; }
  .user strong { display: block; font-weight: 500; }
  .user span { font-size: 12px; color: #444746; }
  .actions { margin-top: 20px; text-align: right; }
  .cancel { color: #0b57d0; text-decoration: none; padding: 10px 16px; border-radius: 20px; font-weight: 500; }
  .cancel:hover, .cancel:focus { background: #eef3fd; }
  .error { border-left: 4px solid #b3261e; padding-left: 12px; }
  footer { margin-top: 18px; font-size: 12px; color: #5e5e5e; }
`;

/** The frame of this sandbox's pages. */
const frame: SandboxPageFrame = {
  title: 'Sandbox — Sign in with Google',
  badge: 'Sandbox — Google Analytics 4',
  standInFor: 'Google sign-in',
  styles,
};

/** Input of {@link renderConsentPage}. */
export interface ConsentPageInput {
  users: readonly SeedUser[];
  /** Human descriptions of the requested scopes. */
  scopeDescriptions: string[];
  /** Links back to the authorize URL that approve as a user or cancel. */
  links: ConsentLinks;
}

/** The consent page: what the app asks for, one link per seeded user (with its property count), and Cancel. */
export function renderConsentPage(input: ConsentPageInput): string {
  const picker = renderUserPicker({
    heading: { text: 'Sandbox Google accounts', id: 'accounts-heading' },
    listAttributes: 'class="users" aria-labelledby="accounts-heading"',
    choices: input.users.map((user) => {
      const count = user.accounts.reduce((sum, account) => sum + account.properties.length, 0);
      return {
        approve: { href: input.links.approveHref(user.email) },
        className: 'user',
        ariaLabel: `Continue as ${user.name} (${user.email})`,
        title: user.name,
        detail: `${user.email} · ${count} propert${count === 1 ? 'y' : 'ies'}`,
      };
    }),
    cancel: { href: input.links.denyHref },
  });
  const scopes = input.scopeDescriptions.map((text) => `<li>${escapeHtml(text)}</li>`).join('\n');
  return renderSandboxPage(
    frame,
    'Choose an account',
    `<p>to continue to <strong>${escapeHtml(SANDBOX_APP_NAME)}</strong>, which wants to:</p>
<ul class="scopes">
${scopes}
</ul>
${picker}`,
  );
}

/** The page Google shows instead of consent when the request is wrong (`Error 400: invalid_request`). */
export function renderErrorPage(code: string, message: string): string {
  return renderSandboxPage(
    frame,
    'Access blocked: Authorization Error',
    renderErrorBox(escapeHtml(message), `<strong>${escapeHtml(code)}</strong>`),
  );
}
