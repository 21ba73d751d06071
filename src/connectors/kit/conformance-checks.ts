/**
 * The pure checks of the conformance suite ({@link ./conformance.ts}): what makes a template valid, what makes a
 * cell match its column's type, and how rows of two reads are matched up. Test code only.
 */
import {
  type CellValue,
  type ColumnSpec,
  type Connector,
  fieldTypes,
  type ProviderAccount,
  type ReportRequest,
  type Template,
} from './types.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A template validates: unique fields, required and defaults among them, closed types, sane windows and settings. */
export function templateProblems(template: Template, dataSource: string): string[] {
  const problems: string[] = [];
  const fields = [...template.dimensions, ...template.metrics];
  const names = fields.map((field) => field.name);
  const dims = new Set(template.dimensions.map((field) => field.name));
  const metrics = new Set(template.metrics.map((field) => field.name));
  if (template.dataSource !== dataSource) problems.push(`dataSource is ${template.dataSource}`);
  if (!template.id.startsWith(`${dataSource}.`)) problems.push(`id does not start with ${dataSource}.`);
  if (new Set(names).size !== names.length) problems.push('field names repeat');
  for (const field of fields) {
    if (!(fieldTypes as readonly string[]).includes(field.type))
      problems.push(`${field.name}: type ${field.type}`);
  }
  const within = (list: string[], set: Set<string>, what: string) => {
    for (const name of list) if (!set.has(name)) problems.push(`${what} ${name} is not a field`);
  };
  within(template.requiredDimensions, dims, 'required dimension');
  within(template.defaultDimensions, dims, 'default dimension');
  within(template.requiredMetrics, metrics, 'required metric');
  within(template.defaultMetrics, metrics, 'default metric');
  within(
    template.rules.flatMap((rule) => rule.fields),
    new Set(names),
    'rule field',
  );
  if (!Number.isInteger(template.maxWindowDays) || template.maxWindowDays < 1)
    problems.push('maxWindowDays < 1');
  if (template.historicalDepthDays < 1) problems.push('historicalDepthDays < 1');
  if (template.defaultLookbackDays < 0) problems.push('defaultLookbackDays < 0');
  for (const setting of template.settings) {
    const options = setting.options ?? [];
    const value = setting.default;
    const ok =
      setting.kind === 'multi'
        ? Array.isArray(value) && value.every((entry) => options.includes(entry))
        : setting.kind === 'single'
          ? typeof value === 'string' && options.includes(value)
          : typeof value === 'number' &&
            Number.isInteger(value) &&
            value >= (setting.min ?? Number.MIN_SAFE_INTEGER) &&
            value <= (setting.max ?? Number.MAX_SAFE_INTEGER);
    if (!ok) problems.push(`setting ${setting.name}: default ${JSON.stringify(value)} is not valid`);
  }
  return problems;
}

/** A request for the template's default selection and default settings. */
export function defaultRequest(
  template: Template,
  account: ProviderAccount,
  from: string,
  to: string,
): ReportRequest {
  return {
    template,
    account: { id: account.id, name: account.name, timezone: account.timezone, currency: account.currency },
    dimensions: [...template.defaultDimensions],
    metrics: [...template.defaultMetrics],
    settings: Object.fromEntries(template.settings.map((setting) => [setting.name, setting.default])),
    from,
    to,
  };
}

/** Why a cell does not have its column's type, or null. */
export function cellProblem(value: CellValue | undefined, column: ColumnSpec): string | null {
  if (value === undefined) return null;
  if (value === null) return column.type === 'date' ? 'a null date' : null;
  const ok = {
    date: typeof value === 'string' && DAY.test(value),
    string: typeof value === 'string',
    json: typeof value === 'string',
    boolean: typeof value === 'boolean',
    integer: typeof value === 'number' && Number.isInteger(value),
    decimal: typeof value === 'number' && Number.isFinite(value),
    money: typeof value === 'number' && Number.isFinite(value),
    percent: typeof value === 'number' && Number.isFinite(value),
  }[column.type];
  return ok ? null : `${column.name} (${column.type}) is ${JSON.stringify(value)}`;
}

/** The identity of a row: its date and dimension values (metrics are what may change). */
export function rowKey(row: Record<string, CellValue>, dimensions: string[]): string {
  return JSON.stringify([row.date, ...dimensions.map((name) => row[name] ?? null)]);
}

/**
 * What is wrong with a connector's paid-ads model mapping: templates it does not have, and model metrics missing
 * from (or mistyped in) the columns of a mapped template's default selection.
 */
export function paidAdsMappingProblems(connector: Connector): string[] {
  const extraction = connector.extraction;
  const paidAds = extraction?.paidAds;
  if (!extraction || !paidAds) return [];
  if (paidAds.templates.length === 0) return ['the mapping names no template'];
  const { spend, impressions, clicks, conversions } = paidAds.fields;
  const metrics = [spend, impressions, clicks, conversions].filter((name) => name !== undefined);
  return paidAds.templates.flatMap((id) => {
    const template = extraction.templates.find((candidate) => candidate.id === id);
    if (!template) return [`${id} is not a template of ${connector.id}`];
    const columns = extraction.columns({
      template,
      dimensions: [...template.defaultDimensions],
      metrics: [...template.defaultMetrics],
      settings: Object.fromEntries(template.settings.map((setting) => [setting.name, setting.default])),
    });
    const typeOf = new Map(columns.map((column) => [column.name, column.type]));
    return [
      ...metrics.filter((name) => !typeOf.has(name)).map((name) => `${id} has no ${name} column by default`),
      ...(typeOf.has(spend) && typeOf.get(spend) !== 'money' ? [`${id}: ${spend} is not money`] : []),
    ];
  });
}
