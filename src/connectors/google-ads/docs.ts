/**
 * Loads the Markdown guides shipped beside the connector. They are read from disk (not inlined) so they stay
 * readable and editable as plain Markdown; the result is cached because it never changes at run time.
 */
import { readFileSync } from 'node:fs';
import type { ConnectorDocs } from '../kit/types.ts';

let cached: ConnectorDocs | undefined;

/** The setup guide and troubleshooting page of the Google Ads connector. */
export function googleAdsDocs(): ConnectorDocs {
  cached ??= {
    setupGuide: readFileSync(new URL('./docs/setup-guide.md', import.meta.url), 'utf8'),
    troubleshooting: readFileSync(new URL('./docs/troubleshooting.md', import.meta.url), 'utf8'),
    mapping: readFileSync(new URL('./docs/mapping.md', import.meta.url), 'utf8'),
  };
  return cached;
}
