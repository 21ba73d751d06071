/**
 * HTML of the sandbox consent page (`/o/oauth2/v2/auth`): choose a seeded Google account or cancel, and the
 * error page Google shows for a request it refuses ("Error 400: invalid_request"). Plain HTML with inline
 * CSS: no scripts, nothing loaded, every value escaped.
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
import { reachableCustomers, type SeedUser } from './seed.ts';

/** Locks the page down: inline styles only, nothing loaded, no framing. */
const pageSecurityHeaders = sandboxPageHeaders();

/** Sends one of this sandbox's pages, locked down. */
export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return sendSandboxPage(reply, pageSecurityHeaders, status, html);
}

const styles = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 Roboto, "Segoe UI", Helvetica, Arial, sans-serif; background: #f0f4f9;
    color: #1f1f1f; }
  main { max-width: 480px; margin: 48px auto; background: #fff; border-radius: 28px; padding: 32px 32px 22px; }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em;
    text-transform: uppercase; color: #7a4f00; background: #fff1cc; border-radius: 4px; padding: 2px 8px; }
  h1 { font-size: 22px; font-weight: 400; margin: 14px 0 6px; }
  ul { list-style: none; padding: 0; margin: 16px 0 0; border-top: 1px solid #e0e3e7; }
  li { border-bottom: 1px solid #e0e3e7; }
  .account { display: block; padding: 12px 8px; text-decoration: none; color: inherit; }
  .account:hover, .account:focus { background: #f1f5fb; outline: 2px solid #0b57d0; }
  .account strong { display: block; font-weight: 500; }
  .account span { font-size: 13px; color: #444746; }
  .actions { margin-top: 20px; text-align: right; }
  .cancel { color: #0b57d0; text-decoration: none; padding: 8px 12px; border-radius: 16px; }
  .cancel:hover, .cancel:focus { background: #f1f5fb; }
  .error { border-left: 4px solid #b3261e; padding-left: 12px; }
  footer { margin-top: 18px; font-size: 12px; color: #5e5e5e; }
`;

/** The frame of this sandbox's pages. */
const frame: SandboxPageFrame = {
  title: 'Sign in — Google Accounts (sandbox)',
  badge: 'Sandbox — Google Ads',
  standInFor: 'Google sign-in',
  styles,
};

/** Input of {@link renderConsentPage}. */
export interface ConsentPageInput {
  users: readonly SeedUser[];
  /** Links back to the authorize URL that approve as a user or cancel. */
  links: ConsentLinks;
}

/** The account chooser: one link per seeded Google account (with its Ads account count), and Cancel. */
export function renderConsentPage(input: ConsentPageInput): string {
  const picker = renderUserPicker({
    listAttributes: 'aria-label="Sandbox Google accounts"',
    choices: input.users.map((user) => {
      const count = reachableCustomers(user).length;
      return {
        approve: { href: input.links.approveHref(user.email) },
        className: 'account',
        ariaLabel: `Continue as ${user.name} (${user.email})`,
        title: user.name,
        detail: `${user.email} · ${count} Google Ads account${count === 1 ? '' : 's'}`,
      };
    }),
    cancel: { href: input.links.denyHref },
  });
  return renderSandboxPage(
    frame,
    'Choose an account',
    `<p>to continue to <strong>${escapeHtml(SANDBOX_APP_NAME)}</strong>, which asks to see, edit, create and delete your Google Ads accounts and data, and to see your email address.</p>
${picker}`,
  );
}

/** The page Google shows instead of consent when the request itself is wrong. */
export function renderErrorPage(error: string, status: number, message: string): string {
  return renderSandboxPage(
    frame,
    'Access blocked: this request is invalid',
    renderErrorBox(`<strong>Error ${status}: ${escapeHtml(error)}</strong>`, escapeHtml(message)),
  );
}
