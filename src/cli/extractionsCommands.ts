/**
 * `tributary templates|destinations|extractions|runs …`: set up extractions and watch their runs.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { EndpointResult } from '../contract/endpoints.ts';
import { renderTable } from './format.ts';
import type { CliSession } from './session.ts';

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Parses `frequency=daily,time=06:00,timezone=Europe/Paris,lookbackDays=28` (cron values may hold spaces). */
export function parseScheduleFlag(value: string): Record<string, string | number> {
  const schedule: Record<string, string | number> = {};
  for (const pair of value.split(/,(?=\s*[a-zA-Z]+=)/)) {
    const [key, ...rest] = pair.split('=');
    const raw = rest.join('=').trim();
    if (!key || !raw) throw new Error(`--schedule: "${pair}" is not key=value`);
    schedule[key.trim()] =
      /^(lookbackDays|dayOfMonth)$/.test(key.trim()) && /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  return schedule;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers the extraction commands. */
export function registerExtractionCommands(program: Command, session: CliSession): void {
  const { print } = session;

  program
    .command('templates')
    .description('Extraction templates')
    .command('list <source>')
    .description("List a data source's templates")
    .action(async (source: string) => {
      const { items } = await session.client().call('listTemplates', { params: { id: source } });
      if (session.json()) return print(JSON.stringify(items, null, 2));
      print(
        renderTable(
          ['ID', 'Name', 'Level', 'Window', 'Required'],
          items.map((template) => [
            template.id,
            template.name,
            template.level,
            `${template.maxWindowDays} d`,
            [...template.requiredDimensions, ...template.requiredMetrics].join(', '),
          ]),
        ),
      );
    });

  const destinations = program.command('destinations').description('Warehouses');
  destinations.command('list').action(async () => {
    const { items } = await session.client().call('listDestinations');
    if (session.json()) return print(JSON.stringify(items, null, 2));
    print(
      renderTable(
        ['ID', 'Name', 'Kind', 'Location', 'Default'],
        items.map((item) => [item.id, item.name, item.kind, item.location, item.isDefault ? 'yes' : '']),
      ),
    );
  });
  destinations
    .command('create')
    .requiredOption('--name <name>')
    .option('--path <file>', 'DuckDB file')
    .option('--url <postgres-url>', 'PostgreSQL URL')
    .option('--schema <schema>', 'PostgreSQL schema')
    .action(async (options: { name: string; path?: string; url?: string; schema?: string }) => {
      const body = options.url
        ? {
            kind: 'postgres' as const,
            name: options.name,
            url: options.url,
            schema: options.schema ?? 'tributary',
          }
        : { kind: 'duckdb' as const, name: options.name, path: options.path ?? 'warehouse.duckdb' };
      const created = await session.client().call('createDestination', { body });
      print(
        session.json()
          ? JSON.stringify(created, null, 2)
          : `Created destination ${created.id} (${created.location})`,
      );
    });

  const extractions = program.command('extractions').description('Extractions (extraction orders)');
  extractions
    .command('create')
    .description('Set up an extraction from flags or a JSON file')
    .option('--file <json>', 'the whole request body as JSON (flags override it)')
    .option('--connection <id>')
    .option('--template <id>')
    .option('--name <name>')
    .option('--accounts <ids>', '"all" or a comma-separated list')
    .option('--dimensions <names>', 'comma-separated')
    .option('--metrics <names>', 'comma-separated')
    .option(
      '--schedule <spec>',
      'frequency=daily,time=06:00,timezone=UTC,lookbackDays=28 (repeatable)',
      collect,
    )
    .option('--load-since <date>', 'backfill history from this day once')
    .option('--destination <id>')
    .option('--table <name>')
    .action(async (options: Record<string, string | string[] | undefined>) => {
      const fromFile = options.file
        ? (JSON.parse(fs.readFileSync(String(options.file), 'utf8')) as Record<string, unknown>)
        : {};
      const accounts =
        options.accounts === undefined
          ? undefined
          : options.accounts === 'all'
            ? 'all'
            : list(String(options.accounts));
      const body = {
        ...fromFile,
        ...(options.connection ? { connectionId: options.connection } : {}),
        ...(options.template ? { templateId: options.template } : {}),
        ...(options.name ? { name: options.name } : {}),
        ...(accounts ? { accounts } : {}),
        ...(options.dimensions ? { dimensions: list(String(options.dimensions)) } : {}),
        ...(options.metrics ? { metrics: list(String(options.metrics)) } : {}),
        ...(options.schedule ? { schedules: (options.schedule as string[]).map(parseScheduleFlag) } : {}),
        ...(options.loadSince ? { loadSince: options.loadSince } : {}),
        ...(options.destination ? { destinationId: options.destination } : {}),
        ...(options.table ? { table: options.table } : {}),
      };
      // The server validates everything and names each bad field.
      const created = await session.client().call('createExtraction', { body: body as never });
      print(session.json() ? JSON.stringify(created, null, 2) : describeExtraction(created));
    });
  extractions.command('list').action(async () => {
    const { items } = await session.client().call('listExtractions', { query: { limit: 200 } });
    if (session.json()) return print(JSON.stringify(items, null, 2));
    print(
      renderTable(
        ['ID', 'Name', 'Template', 'Table', 'Status', 'Next run'],
        items.map((item) => [
          item.id,
          item.name,
          item.templateId,
          item.table,
          item.status,
          item.schedules[0]?.nextRuns[0] ?? '',
        ]),
      ),
    );
  });
  extractions.command('show <id>').action(async (id: string) => {
    const extraction = await session.client().call('getExtraction', { params: { id } });
    print(session.json() ? JSON.stringify(extraction, null, 2) : describeExtraction(extraction));
  });
  for (const action of ['pause', 'resume'] as const) {
    extractions.command(`${action} <id>`).action(async (id: string) => {
      const name = action === 'pause' ? 'pauseExtraction' : 'resumeExtraction';
      const extraction = await session.client().call(name, { params: { id } });
      print(
        session.json() ? JSON.stringify(extraction, null, 2) : `${extraction.name}: ${extraction.status}`,
      );
    });
  }
  extractions
    .command('run <id>')
    .description('Re-run a date range now and follow it slice by slice')
    .requiredOption('--from <date>')
    .requiredOption('--to <date>')
    .option('--no-wait', 'return once the run is queued')
    .action(async (id: string, options: { from: string; to: string; wait: boolean }) => {
      const api = session.client();
      const run = await api.call('startExtractionRun', {
        params: { id },
        body: { from: options.from, to: options.to },
      });
      if (!options.wait)
        return print(session.json() ? JSON.stringify(run, null, 2) : `Run ${run.id} ${run.status}`);
      const final = await followRun(session, run.id);
      print(session.json() ? JSON.stringify(final, null, 2) : describeRun(final));
      if (final.status !== 'succeeded') process.exitCode = 2;
    });

  program
    .command('runs')
    .description('Extraction runs')
    .command('show <id>')
    .action(async (id: string) => {
      const run = await session.client().call('getRun', { params: { id } });
      print(session.json() ? JSON.stringify(run, null, 2) : describeRun(run));
    });
}

type RunDetail = EndpointResult<'getRun'>;

/** Polls a run until it ends, drawing one progress bar over its slices. */
async function followRun(session: CliSession, runId: string): Promise<RunDetail> {
  const api = session.client();
  for (;;) {
    const run = await api.call('getRun', { params: { id: runId } });
    const done = run.slices.filter(
      (slice) => !['queued', 'running', 'stalled'].includes(slice.status),
    ).length;
    if (!session.json() && process.stderr.isTTY) {
      const width = 30;
      const filled = run.slices.length ? Math.round((done / run.slices.length) * width) : width;
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${run.slices.length} slices  ${run.status}   `,
      );
    }
    if (['succeeded', 'partial', 'failed', 'cancelled'].includes(run.status)) {
      if (!session.json() && process.stderr.isTTY) process.stderr.write('\n');
      return run;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function describeExtraction(extraction: {
  id: string;
  name: string;
  status: string;
  templateId: string;
  table: string;
  dimensions: string[];
  metrics: string[];
  schedules: {
    frequency: string;
    time: string;
    timezone: string;
    lookbackDays: number;
    nextRuns: string[];
  }[];
}): string {
  return [
    `Extraction  ${extraction.id}`,
    `Name        ${extraction.name}`,
    `Status      ${extraction.status}`,
    `Template    ${extraction.templateId}`,
    `Table       ${extraction.table}`,
    `Dimensions  ${extraction.dimensions.join(', ')}`,
    `Metrics     ${extraction.metrics.join(', ')}`,
    ...extraction.schedules.map(
      (schedule) =>
        `Schedule    ${schedule.frequency} at ${schedule.time} ${schedule.timezone}, re-reads ${schedule.lookbackDays} day(s); next: ${schedule.nextRuns.join(', ')}`,
    ),
  ].join('\n');
}

function describeRun(run: RunDetail): string {
  const lines = [
    `Run         ${run.id} (${run.trigger})`,
    `Status      ${run.status}`,
    `Rows        ${run.rows.inserted} inserted, ${run.rows.updated} updated, ${run.rows.deleted} deleted`,
    `API calls   ${run.apiCalls}; quota waits ${Math.round(run.quotaWaitMs / 1000)} s`,
    `Duration    ${run.durationMs === null ? '—' : `${(run.durationMs / 1000).toFixed(1)} s`}`,
  ];
  if (run.error) lines.push(`Error       ${run.error.code} (${run.error.category}): ${run.error.message}`);
  if (run.reconciliation) {
    lines.push(
      `Reconciled  ${run.reconciliation.status}${run.reconciliation.reason ? ` (${run.reconciliation.reason})` : ''}: ${run.reconciliation.daysCompared} day(s), ${run.reconciliation.mismatches.length} mismatch(es)`,
    );
  }
  lines.push(
    '',
    renderTable(
      ['Account', 'From', 'To', 'Status', 'Rows', 'Calls', 'Error'],
      run.slices.map((slice) => [
        slice.accountId,
        slice.from,
        slice.to,
        slice.status,
        String(slice.rowsWritten),
        String(slice.apiCalls),
        slice.error ? `${slice.error.code}: ${slice.error.message}`.slice(0, 80) : '',
      ]),
    ),
  );
  return lines.join('\n');
}
