/**
 * SQL for custom templates: saved copies of a global template with their own name and selection.
 */
import type { Queryable, Row } from './db.ts';
import { dateOrNull, json } from './rows.ts';

export interface CustomTemplateRecord {
  id: string;
  workspaceId: string;
  dataSource: string;
  baseTemplateId: string;
  name: string;
  description: string;
  dimensions: string[];
  metrics: string[];
  settings: Record<string, string[] | string | number>;
  createdAt: Date;
}

function rowToRecord(row: Row): CustomTemplateRecord {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    dataSource: String(row.data_source),
    baseTemplateId: String(row.base_template_id),
    name: String(row.name),
    description: String(row.description),
    dimensions: row.dimensions as string[],
    metrics: row.metrics as string[],
    settings: json<CustomTemplateRecord['settings']>(row.settings),
    createdAt: dateOrNull(row.created_at)!,
  };
}

export const templatesRepository = {
  async insert(db: Queryable, record: CustomTemplateRecord): Promise<void> {
    await db.query(
      `INSERT INTO custom_templates (id, data_source, base_template_id, name, description, dimensions, metrics, settings, created_at, workspace_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [
        record.id,
        record.dataSource,
        record.baseTemplateId,
        record.name,
        record.description,
        record.dimensions,
        record.metrics,
        JSON.stringify(record.settings),
        record.createdAt,
        record.workspaceId,
      ],
    );
  },

  async get(db: Queryable, id: string): Promise<CustomTemplateRecord | null> {
    const rows = await db.query('SELECT * FROM custom_templates WHERE id = $1', [id]);
    return rows[0] ? rowToRecord(rows[0]) : null;
  },

  async listForSource(
    db: Queryable,
    dataSource: string,
    workspaceId: string,
  ): Promise<CustomTemplateRecord[]> {
    const rows = await db.query(
      'SELECT * FROM custom_templates WHERE data_source = $1 AND workspace_id = $2 ORDER BY created_at, id',
      [dataSource, workspaceId],
    );
    return rows.map(rowToRecord);
  },
};
