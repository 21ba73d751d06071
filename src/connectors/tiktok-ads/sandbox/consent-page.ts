/**
 * HTML of the sandbox authorization page (`/portal/auth`): pick a seeded user or cancel, and the error
 * page for a bad request. Plain HTML with inline CSS: no scripts, nothing loaded, every value escaped.
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
  body { margin: 0; font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
    background: #f1f1f2; color: #161823; }
  main { max-width: 460px; margin: 48px auto; background: #fff; border-radius: 10px;
    box-shadow: 0 2px 12px rgba(0, 0, 0, .12); padding: 28px 28px 20px; }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em;
    text-transform: uppercase; color: #8a5a00; background: #fff4d6; border-radius: 4px; padding: 2px 8px; }
  h1 { font-size: 20px; margin: 12px 0 6px; }
  h2 { font-size: 14px; margin: 22px 0 8px; color: #5c5e66; font-weight: 600; }
  ul { list-style: none; padding: 0; margin: 0; }
  .users li { margin: 8px 0; }
  .user { display: block; padding: 10px 14px; border: 1px solid #e3e3e4; border-radius: 8px;
    text-decoration: none; color: inherit; }
  .user:hover, .user:focus { border-color: #fe2c55; background: #fff5f7; }
  .user strong { display: block; color: #fe2c55; }
  .user span { font-size: 13px; color: #5c5e66; }
  .actions { margin-top: 20px; text-align: right; }
  .cancel { color: #5c5e66; text-decoration: none; padding: 8px 12px; border-radius: 6px; }
  .cancel:hover, .cancel:focus { background: #f1f1f2; }
  .error { border-left: 4px solid #fe2c55; padding-left: 12px; }
  footer { margin-top: 18px; font-size: 12px; color: #8a8b91; }
`;

/** The frame of this sandbox's pages. */
const frame: SandboxPageFrame = {
  title: 'Sandbox — TikTok Ads',
  badge: 'Sandbox — TikTok Ads',
  standInFor: 'TikTok For Business authorization',
  styles,
};

/** Input of {@link renderConsentPage}. */
export interface ConsentPageInput {
  users: readonly SeedUser[];
  /** Links back to the authorize URL that approve as a user or cancel. */
  links: ConsentLinks;
}

/** The consent page: the app, one link per seeded user (with their advertiser count), and Cancel. */
export function renderConsentPage(input: ConsentPageInput): string {
  const picker = renderUserPicker({
    heading: { text: 'Choose a sandbox user' },
    listAttributes: 'class="users"',
    choices: input.users.map((user) => ({
      approve: { href: input.links.approveHref(user.email) },
      className: 'user',
      title: `Continue as ${user.name}`,
      detail: `${user.email} · ${user.advertisers.length} advertiser${user.advertisers.length === 1 ? '' : 's'}`,
    })),
    cancel: { href: input.links.denyHref },
  });
  return renderSandboxPage(
    frame,
    `${escapeHtml(SANDBOX_APP_NAME)} wants to access your TikTok For Business advertisers`,
    `<p>The app asks to read ad account information and reporting data.</p>
${picker}`,
  );
}

/** The page shown instead of consent when the request itself is wrong. */
export function renderErrorPage(title: string, message: string): string {
  return renderSandboxPage(frame, escapeHtml(title), renderErrorBox(escapeHtml(message)));
}
