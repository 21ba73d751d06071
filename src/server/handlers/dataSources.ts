import type { Connector } from '../../connectors/kit/types.ts';
import type { DataSourceSummary } from '../../contract/schemas.ts';
import { TributaryError } from '../../domain/errors.ts';
import type { Handler } from '../routes.ts';

function summary(connector: Connector): DataSourceSummary {
  return {
    id: connector.id,
    name: connector.name,
    authType: connector.authType,
    sandbox: connector.sandbox,
    configured: connector.configured,
    formAuthType:
      connector.oauth && connector.credentialForm
        ? (connector.credentialForm.authType ?? connector.authType)
        : null,
  };
}

/** GET /api/v1/data-sources */
export const listDataSources: Handler<'listDataSources'> = async (_input, context) => ({
  items: context.connectors.all().map(summary),
});

/** GET /api/v1/data-sources/:id */
export const getDataSource: Handler<'getDataSource'> = async ({ params }, context) => {
  const connector = context.connectors.get(params.id);
  if (!connector) throw new TributaryError('unknown_data_source', `Unknown data source "${params.id}"`);
  return {
    ...summary(connector),
    setupGuide: connector.docs.setupGuide,
    troubleshooting: connector.docs.troubleshooting,
    mapping: connector.docs.mapping ?? null,
    schema: connector.schema,
    credentialFields: connector.credentialForm?.fields ?? [],
  };
};
