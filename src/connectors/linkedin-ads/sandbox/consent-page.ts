/**
 * HTML of the sandbox consent page (`/oauth/v2/authorization`): the permissions asked for (each one can be
 * unticked, as a member can decline some), one Allow button per seeded member, Cancel, and the error page
 * for a bad request. Plain HTML with inline CSS: no scripts, nothing loaded, every value escaped. The form
 * GETs the same URL with `sandbox_approve`, `sandbox_scopes` or `sandbox_deny`.
 */
import type { FastifyReply } from 'fastify';
import {
  escapeHtml,
  renderErrorBox,
  renderHiddenInputs,
  renderSandboxPage,
  renderUserPicker,
  type SandboxPageFrame,
  sandboxPageHeaders,
  sendSandboxPage,
} from '../../../sandbox/consent-page.ts';
import { SANDBOX_APP_NAME } from './constants.ts';
import type { SeedUser } from './seed.ts';

/** Locks the page down: inline styles only, nothing loaded, forms only back to this page, no framing. */
const pageSecurityHeaders = sandboxPageHeaders("'self'");

/** Sends one of this sandbox's pages, locked down. */
export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return sendSandboxPage(reply, pageSecurityHeaders, status, html);
}

const scopeLabels: Record<string, string> = {
  r_ads: 'Retrieve your advertising accounts',
  r_ads_reporting: 'Retrieve reporting for your advertising accounts',
  rw_ads: 'Manage your advertising accounts',
  openid: 'Use your name and photo (OpenID Connect)',
  profile: 'Use your name and photo',
  email: 'Use the primary email address associated with your LinkedIn account',
  r_organization_social: "Retrieve your organization's posts",
};

const styles = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
    background: #f4f2ee; color: #1d2226; }
  main { max-width: 480px; margin: 48px auto; background: #fff; border-radius: 10px;
    box-shadow: 0 2px 12px rgba(0, 0, 0, .12); padding: 28px 28px 20px; }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em;
    text-transform: uppercase; color: #8a5a00; background: #fff4d6; border-radius: 4px; padding: 2px 8px; }
  h1 { font-size: 20px; margin: 12px 0 6px; }
  fieldset { border: 1px solid #e0dfdc; border-radius: 8px; margin: 16px 0; padding: 8px 14px; }
  legend { font-size: 14px; font-weight: 600; color: #56687a; padding: 0 4px; }
  label { display: block; margin: 6px 0; }
  ul { list-style: none; padding: 0; margin: 0; }
  .users li { margin: 8px 0; }
  .user { display: block; width: 100%; text-align: left; padding: 10px 14px; border: 1px solid #e0dfdc;
    border-radius: 8px; background: #fff; font: inherit; cursor: pointer; }
  .user:hover, .user:focus { border-color: #0a66c2; background: #f3f8fd; }
  .user strong { display: block; color: #0a66c2; }
  .user span { font-size: 13px; color: #56687a; }
  .actions { margin-top: 20px; text-align: right; }
  .cancel { font: inherit; color: #56687a; background: none; border: 0; padding: 8px 12px; border-radius: 6px;
    cursor: pointer; }
  .cancel:hover, .cancel:focus { background: #f4f2ee; }
  .error { border-left: 4px solid #cc1016; padding-left: 12px; }
  footer { margin-top: 18px; font-size: 12px; color: #8a8b91; }
`;

/** The frame of this sandbox's pages. */
const frame: SandboxPageFrame = {
  title: 'Sandbox — LinkedIn Ads',
  badge: 'Sandbox — LinkedIn Ads',
  standInFor: 'LinkedIn authorization',
  styles,
};

/** Input of {@link renderConsentPage}. */
export interface ConsentPageInput {
  users: readonly SeedUser[];
  /** The scopes the app asked for, in order. */
  scopes: readonly string[];
  /** The authorization request's own parameters, carried through the form as hidden inputs. */
  carried: ReadonlyArray<[string, string]>;
}

/** The consent page: the permissions (each a checkbox), one Allow button per member, and Cancel. */
export function renderConsentPage(input: ConsentPageInput): string {
  const scopes = input.scopes
    .map(
      (scope) =>
        `<label><input type="checkbox" name="sandbox_scopes" value="${escapeHtml(scope)}" checked> ${escapeHtml(
          scopeLabels[scope] ?? scope,
        )} <code>${escapeHtml(scope)}</code></label>`,
    )
    .join('\n');
  const picker = renderUserPicker({
    heading: { text: 'Choose a sandbox member' },
    listAttributes: 'class="users"',
    choices: input.users.map((user) => ({
      approve: { submit: { name: 'sandbox_approve', value: user.email } },
      className: 'user',
      ariaLabel: `Allow as ${user.name} (${user.email})`,
      title: `Allow as ${user.name}`,
      detail: `${user.email} · ${user.accounts.length} ad account${user.accounts.length === 1 ? '' : 's'}`,
    })),
    cancel: 'form',
  });
  return renderSandboxPage(
    frame,
    `${escapeHtml(SANDBOX_APP_NAME)} would like to access your LinkedIn account`,
    `<form method="get">
${renderHiddenInputs(input.carried)}
<fieldset><legend>Permissions asked for (untick to decline)</legend>
<input type="hidden" name="sandbox_scopes_shown" value="1">
${scopes}
</fieldset>
${picker}
</form>`,
  );
}

/** The page shown instead of consent when the request itself is wrong. */
export function renderErrorPage(title: string, message: string): string {
  return renderSandboxPage(frame, escapeHtml(title), renderErrorBox(escapeHtml(message)));
}
