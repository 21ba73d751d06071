import { isMissingTableError } from '../../destinations/core/errors.ts';
import { addDays, todayIn } from '../../domain/dates.ts';
import { asTributaryError } from '../../domain/errors.ts';
import { resolveTemplate } from '../../engine/templateCatalog.ts';
import { accountsRepository } from '../../store/accountsRepository.ts';
import type { Handler } from '../routes.ts';
import { requireExtraction } from './extractions.ts';

/** How many metrics a chart shows at most; more lines stop being readable. */
const chartedMetrics = 4;

/**
 * GET /api/v1/extractions/:id/daily-totals — the loaded table's main metrics (the ones the
 * provider also reports totals for) summed per day over every account. Default: the last 30 days.
 */
export const getExtractionDailyTotals: Handler<'getExtractionDailyTotals'> = async (
  { params, query },
  context,
) => {
  const extraction = await requireExtraction(context, params.id);
  const to = query.to ?? todayIn(null, context.now());
  const from = query.from ?? addDays(to, -29);
  const empty = { table: extraction.tableName, metrics: [] as string[], items: [] };
  const connector = context.connectors.get(extraction.dataSource);
  if (!connector?.extraction || !extraction.connectionId || from > to) return empty;
  const { template } = await resolveTemplate(context, extraction.templateId);
  const columns = connector.extraction.columns({
    template,
    dimensions: extraction.dimensions,
    metrics: extraction.metrics,
    settings: extraction.settings,
  });
  const metrics = connector.extraction.reconcilableMetrics
    .filter((metric) => columns.some((column) => column.name === metric))
    .slice(0, chartedMetrics);
  if (metrics.length === 0) return empty;
  const destination = await context.destinations.get(extraction.destinationId);
  try {
    // This connection's accounts only: other extractions may write to the same table.
    const accounts = await accountsRepository.list(context.db, extraction.connectionId);
    const ids = accounts.map((account) => account.providerAccountId);
    if (ids.length === 0) return { ...empty, metrics };
    const items = await destination.dailyTotals(extraction.tableName, ids, from, to, metrics);
    return { table: extraction.tableName, metrics, items };
  } catch (error) {
    const failure = asTributaryError(error);
    // Nothing loaded yet: no days, not an error.
    if (isMissingTableError(failure)) return { ...empty, metrics };
    throw failure;
  }
};
