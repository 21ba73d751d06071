/**
 * What every sandbox consent page shares: escaping, the response headers that lock the page down, and the page
 * frame (title, sandbox badge, heading, the provider's content, the "offline stand-in" footer). Each provider's
 * `sandbox/consent-page.ts` keeps its own look (styles), wording and user list. Plain HTML with inline CSS: no
 * scripts, nothing loaded, every value escaped by the caller with {@link escapeHtml}.
 */

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
