/**
 * What every sandbox consent page shares: escaping, the response headers that lock the page down, the page
 * frame (title, sandbox badge, heading, the provider's content, the "offline stand-in" footer), the user picker
 * (one approve link or button per seeded user, and Cancel), the error box, and sending a page. Each provider's
 * `sandbox/consent-page.ts` keeps its own look (styles), wording and what it says about each user. Plain HTML with
 * inline CSS: no scripts, nothing loaded; text is escaped here, and HTML the caller passes in is escaped by it with
 * {@link escapeHtml}.
 */
import type { FastifyReply } from 'fastify';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Locks a page down: inline styles only, nothing loaded, no framing, not cached. `formAction` is `'none'` for pages
 * of links and `'self'` for a page whose consent is a form posted back to itself.
 */
export function sandboxPageHeaders(formAction: "'none'" | "'self'" = "'none'") {
  return {
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'`,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  } as const;
}

/** The fixed parts of one provider's sandbox pages (plain text, written into the page as given). */
export interface SandboxPageFrame {
  /** The document title, e.g. `Sandbox — Meta Ads`. */
  title: string;
  /** The badge above the heading, e.g. `Sandbox — Meta Ads`. */
  badge: string;
  /** What the page stands in for, e.g. `Facebook Login`. */
  standInFor: string;
  /** The page's CSS. */
  styles: string;
}

/** A whole page in `frame`: `heading` and `content` are HTML, already escaped. */
export function renderSandboxPage(frame: SandboxPageFrame, heading: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title}</title>
<style>${frame.styles}</style>
</head>
<body>
<main>
<span class="badge">${frame.badge}</span>
<h1>${heading}</h1>
${content}
<footer>This is Tributary's offline stand-in for ${frame.standInFor}. No data leaves this machine.</footer>
</main>
</body>
</html>
`;
}

/** Sends a sandbox page with the headers that lock it down (from {@link sandboxPageHeaders}). */
export function sendSandboxPage(
  reply: FastifyReply,
  headers: ReturnType<typeof sandboxPageHeaders>,
  status: number,
  html: string,
): FastifyReply {
  return reply.code(status).headers(headers).type('text/html; charset=utf-8').send(html);
}

/** One seeded user on the consent page (plain text, escaped here). */
export interface UserChoice {
  /** How choosing this user approves: a link, or a submit button of the page's form. */
  approve: { href: string } | { submit: { name: string; value: string } };
  /** The entry's class (the provider's styles). */
  className: string;
  /** The accessible name, when it should say more than the visible text. */
  ariaLabel?: string;
  /** The bold line, e.g. `Continue as Alex Morgan`. */
  title: string;
  /** The line under it, e.g. `alex@example.com · 3 ad accounts`. */
  detail: string;
}

/** The user picker: an optional heading, the list of {@link UserChoice}s, and Cancel. */
export interface UserPicker {
  heading?: { text: string; id?: string };
  /** The list's attributes as HTML, e.g. `class="users"`. */
  listAttributes: string;
  choices: readonly UserChoice[];
  /** Cancel: a link (the authorize URL with `sandbox_deny=1`), or a submit button of the page's form. */
  cancel: { href: string } | 'form';
}

function renderChoice(choice: UserChoice): string {
  const { approve } = choice;
  const tag = 'href' in approve ? 'a' : 'button';
  const target =
    'href' in approve
      ? `href="${escapeHtml(approve.href)}"`
      : `type="submit" name="${escapeHtml(approve.submit.name)}" value="${escapeHtml(approve.submit.value)}"`;
  const label = choice.ariaLabel === undefined ? '' : ` aria-label="${escapeHtml(choice.ariaLabel)}"`;
  return `<li><${tag} class="${escapeHtml(choice.className)}" ${target}${label}><strong>${escapeHtml(
    choice.title,
  )}</strong><span>${escapeHtml(choice.detail)}</span></${tag}></li>`;
}

/** The user picker's HTML. */
export function renderUserPicker(picker: UserPicker): string {
  const { heading, cancel } = picker;
  const title = heading
    ? `<h2${heading.id === undefined ? '' : ` id="${escapeHtml(heading.id)}"`}>${escapeHtml(heading.text)}</h2>\n`
    : '';
  const cancelHtml =
    cancel === 'form'
      ? '<button class="cancel" type="submit" name="sandbox_deny" value="1">Cancel</button>'
      : `<a class="cancel" href="${escapeHtml(cancel.href)}">Cancel</a>`;
  return `${title}<ul ${picker.listAttributes}>
${picker.choices.map(renderChoice).join('\n')}
</ul>
<div class="actions">${cancelHtml}</div>`;
}

/** Hidden inputs that carry the authorize request's own parameters through a consent form. */
export function renderHiddenInputs(carried: ReadonlyArray<readonly [string, string]>): string {
  return carried
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

/** The error box of an error page: one paragraph per entry, each HTML already escaped. */
export function renderErrorBox(...paragraphs: string[]): string {
  return `<div class="error">${paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('')}</div>`;
}
