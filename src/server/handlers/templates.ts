import crypto from 'node:crypto';
import { TributaryError } from '../../domain/errors.ts';
import { validateSelection } from '../../domain/selection.ts';
import { listTemplates as listAll, resolveTemplate } from '../../engine/templateCatalog.ts';
import { refuse } from '../../extractions/setup.ts';
import { templatesRepository } from '../../store/templatesRepository.ts';
import { templateView } from '../extractionViews.ts';
import { type Handler, workspaceOf } from '../routes.ts';

/** GET /api/v1/data-sources/:id/templates */
export const listTemplates: Handler<'listTemplates'> = async (input, context) => ({
  items: (await listAll(context, input.params.id, workspaceOf(input).workspaceId)).map(templateView),
});

/** GET /api/v1/templates/:id */
export const getTemplate: Handler<'getTemplate'> = async ({ params }, context) =>
  templateView(await resolveTemplate(context, params.id));

/** POST /api/v1/templates — a custom copy of a global template. */
export const createTemplate: Handler<'createTemplate'> = async (input, context) => {
  const { body } = input;
  const base = await resolveTemplate(context, body.baseTemplateId);
  if (base.custom) {
    throw new TributaryError(
      'validation_failed',
      'baseTemplateId must be a global template, not a custom copy',
    );
  }
  const result = validateSelection(base.template, body);
  if ('problems' in result) refuse(result.problems);
  const id = crypto.randomUUID();
  await templatesRepository.insert(context.db, {
    id,
    workspaceId: workspaceOf(input).workspaceId,
    dataSource: base.template.dataSource,
    baseTemplateId: base.template.id,
    name: body.name,
    description: body.description ?? '',
    dimensions: result.selection.dimensions,
    metrics: result.selection.metrics,
    settings: result.selection.settings,
    createdAt: context.now(),
  });
  return templateView(await resolveTemplate(context, id));
};
