/**
 * Global templates (from each connector's folder) and custom templates (saved copies in the
 * store), resolved to one Template shape. A custom template is its base template with its own
 * id, name and default selection.
 */

import type { AppContext } from '../connections/context.ts';
import type { Connector, Template } from '../connectors/kit/types.ts';
import { TributaryError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { type CustomTemplateRecord, templatesRepository } from '../store/templatesRepository.ts';

/** A template as the API shows it: global or custom, with its base. */
export interface ResolvedTemplate {
  template: Template;
  custom: boolean;
  baseTemplateId: string | null;
  /** The slug used in default table names: `campaign_daily` (custom: the base's slug). */
  slug: string;
}

function globalTemplate(connectors: Connector[], id: string): Template | undefined {
  for (const connector of connectors) {
    const found = connector.extraction?.templates.find((template) => template.id === id);
    if (found) return found;
  }
  return undefined;
}

const slugOf = (id: string) => id.slice(id.indexOf('.') + 1);

function fromCustom(record: CustomTemplateRecord, base: Template): ResolvedTemplate {
  return {
    template: {
      ...base,
      id: record.id,
      name: record.name,
      description: record.description || `Custom copy of ${base.name}`,
      defaultDimensions: record.dimensions,
      defaultMetrics: record.metrics,
      settings: base.settings.map((spec) =>
        record.settings[spec.name] === undefined ? spec : { ...spec, default: record.settings[spec.name]! },
      ),
    },
    custom: true,
    baseTemplateId: base.id,
    slug: slugOf(base.id),
  };
}

/** Finds a global or custom template by id, or raises `not_found`. */
export async function resolveTemplate(context: AppContext, id: string): Promise<ResolvedTemplate> {
  const connectors = context.connectors.all();
  const global = globalTemplate(connectors, id);
  if (global) return { template: global, custom: false, baseTemplateId: null, slug: slugOf(global.id) };
  const record = isUuid(id) ? await templatesRepository.get(context.db, id) : null;
  const base = record ? globalTemplate(connectors, record.baseTemplateId) : undefined;
  if (!record || !base) throw new TributaryError('not_found', `Template ${id} does not exist`);
  return fromCustom(record, base);
}

/** Every template of a data source: its global ones, then the workspace's custom copies. */
export async function listTemplates(
  context: AppContext,
  dataSource: string,
  workspaceId: string,
): Promise<ResolvedTemplate[]> {
  const connector = context.connectors.get(dataSource);
  if (!connector) throw new TributaryError('unknown_data_source', `Unknown data source "${dataSource}"`);
  const globals = connector.extraction?.templates ?? [];
  const customs = await templatesRepository.listForSource(context.db, dataSource, workspaceId);
  return [
    ...globals.map((template) => ({
      template,
      custom: false,
      baseTemplateId: null,
      slug: slugOf(template.id),
    })),
    ...customs.flatMap((record) => {
      const base = globals.find((template) => template.id === record.baseTemplateId);
      return base ? [fromCustom(record, base)] : [];
    }),
  ];
}
