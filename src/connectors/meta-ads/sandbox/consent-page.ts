/**
 * HTML of the sandbox OAuth dialog: the consent page (pick a seeded user or cancel) and the error page
 * Meta shows for a bad dialog request. Plain HTML with inline CSS: no scripts, no external resources,
 * and every echoed value escaped.
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
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
    background: #f0f2f5; color: #1c1e21; }
  main { max-width: 460px; margin: 48px auto; background: #fff; border-radius: 10px;
    box-shadow: 0 2px 12px rgba(0, 0, 0, .12); padding: 28px 28px 20px; }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em;
    text-transform: uppercase; color: #8a5a00; background: #fff4d6; border-radius: 4px; padding: 2px 8px; }
  h1 { font-size: 20px; margin: 12px 0 6px; }
  h2 { font-size: 14px; margin: 22px 0 8px; color: #65676b; font-weight: 600; }
  p { margin: 6px 0; }
  ul { list-style: none; padding: 0; margin: 0; }
  .scopes li { display: inline-block; margin: 4px 6px 0 0; padding: 2px 8px; background: #e7f3ff;
    color: #0a58ca; border-radius: 12px; font: 13px ui-monospace, Menlo, Consolas, monospace; }
  .users li { margin: 8px 0; }
  .user { display: block; padding: 10px 14px; border: 1px solid #dddfe2; border-radius: 8px;
    text-decoration: none; color: inherit; }
  .user:hover, .user:focus { border-color: #1877f2; background: #f5f9ff; }
  .user strong { display: block; color: #1877f2; }
  .user span { font-size: 13px; color: #65676b; }
  .actions { margin-top: 20px; text-align: right; }
  .cancel { color: #65676b; text-decoration: none; padding: 8px 12px; border-radius: 6px; }
  .cancel:hover, .cancel:focus { background: #f0f2f5; }
  .error { border-left: 4px solid #e41e3f; padding-left: 12px; }
  footer { margin-top: 18px; font-size: 12px; color: #8a8d91; }
`;

/** The frame of this sandbox's pages. */
const frame: SandboxPageFrame = {
  title: 'Sandbox — Meta Ads',
  badge: 'Sandbox — Meta Ads',
  standInFor: 'Facebook Login',
  styles,
};

/** Input of {@link renderConsentPage}. */
export interface ConsentPageInput {
  scopes: string[];
  users: readonly SeedUser[];
  /** Links back to the authorize URL that approve as a user or cancel. */
  links: ConsentLinks;
}

/** The consent page: the app, the permissions it asks for, one link per seeded user, and Cancel. */
export function renderConsentPage(input: ConsentPageInput): string {
  const scopes = input.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  const picker = renderUserPicker({
    heading: { text: 'Choose a sandbox user' },
    listAttributes: 'class="users"',
    choices: input.users.map((user) => ({
      approve: { href: input.links.approveHref(user.email) },
      className: 'user',
      title: `Continue as ${user.name}`,
      detail: `${user.email} · ${user.accounts.length.toLocaleString('en-US')} ad account${user.accounts.length === 1 ? '' : 's'}`,
    })),
    cancel: { href: input.links.denyHref },
  });
  return renderSandboxPage(
    frame,
    `${escapeHtml(SANDBOX_APP_NAME)} is requesting access to your Meta account`,
    `<p>The app asks for these permissions:</p>
<ul class="scopes">${scopes}</ul>
${picker}`,
  );
}

/** The page the dialog shows instead of consent when the request itself is wrong. */
export function renderErrorPage(title: string, message: string): string {
  return renderSandboxPage(frame, escapeHtml(title), renderErrorBox(escapeHtml(message)));
}
