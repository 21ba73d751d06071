/**
 * "A connector that does not pass the conformance suite cannot be registered": every connector id in the catalog
 * must have `src/connectors/<id>/conformance.test.ts` calling the shared suite, so `npm test` runs it (and fails
 * with it) for every registered connector.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectorDefinitions } from './registry.ts';

const here = dirname(fileURLToPath(import.meta.url));

describe('every registered connector runs the conformance suite', () => {
  it.each(connectorDefinitions.map((definition) => [definition.id]))(
    '%s has conformance.test.ts calling describeConnectorConformance',
    (id) => {
      const file = join(here, id, 'conformance.test.ts');
      expect(existsSync(file), `${file} is missing: add it (see docs/connector-guide.md)`).toBe(true);
      // Comments are dropped so a commented-out call does not count; `.skip`-style variants do not exist.
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code).toMatch(/from '\.\.\/kit\/conformance\.ts'/);
      expect(code).toMatch(/\bdescribeConnectorConformance\(/);
    },
  );
});
