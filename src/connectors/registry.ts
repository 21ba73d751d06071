/**
 * The connector catalog: every provider folder registers here, and nowhere else.
 */

import { ga4Connector } from './ga4/index.ts';
import { googleAdsConnector } from './google-ads/index.ts';
import type { Connector, ConnectorDefinition, ConnectorEnvironment, SandboxProvider } from './kit/types.ts';
import { linkedinAdsConnector } from './linkedin-ads/index.ts';
import { metaAdsConnector } from './meta-ads/index.ts';
import { tiktokAdsConnector } from './tiktok-ads/index.ts';

/** Every connector definition, in catalog order. */
export const connectorDefinitions: readonly ConnectorDefinition[] = [
  metaAdsConnector,
  tiktokAdsConnector,
  ga4Connector,
  googleAdsConnector,
  linkedinAdsConnector,
];

/**
 * Every provider sandbox, mounted under `/sandbox/<provider>/` when sandboxes are on. Loaded on demand: their
 * modules build seeded data and keys when imported, which a process with the sandbox off never needs.
 */
export async function loadSandboxProviders(): Promise<readonly SandboxProvider[]> {
  const [meta, tiktok, ga4, googleAds, linkedin] = await Promise.all([
    import('./meta-ads/sandbox/index.ts'),
    import('./tiktok-ads/sandbox/index.ts'),
    import('./ga4/sandbox/index.ts'),
    import('./google-ads/sandbox/index.ts'),
    import('./linkedin-ads/sandbox/index.ts'),
  ]);
  return [
    meta.metaAdsSandbox,
    tiktok.tiktokAdsSandbox,
    ga4.ga4Sandbox,
    googleAds.googleAdsSandbox,
    linkedin.linkedinAdsSandbox,
  ];
}

/** Every environment variable any connector reads (config.ts reads exactly these). */
export const connectorEnvVars: readonly string[] = connectorDefinitions.flatMap(
  (definition) => definition.envVars,
);

/** The built connectors of one process, by data source id. */
export class ConnectorRegistry {
  private readonly byId: Map<string, Connector>;

  constructor(
    environmentFor: (definition: ConnectorDefinition) => ConnectorEnvironment,
    definitions: readonly ConnectorDefinition[] = connectorDefinitions,
  ) {
    this.byId = new Map(
      definitions.map((definition) => [definition.id, definition.create(environmentFor(definition))]),
    );
  }

  get(id: string): Connector | undefined {
    return this.byId.get(id);
  }

  all(): Connector[] {
    return [...this.byId.values()];
  }
}
