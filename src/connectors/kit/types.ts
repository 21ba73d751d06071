/**
 * The connector interface: what every provider folder under `src/connectors/` implements.
 * A connector is a declaration (id, name, auth type, docs, schema) plus small async functions
 * (authorize, identify, discover accounts). It never touches the store; the engine and the
 * server call it with a decrypted credential and persist what it returns.
 */
import type { FastifyInstance } from 'fastify';

export type AuthType = 'oauth2' | 'api_key' | 'login' | 'service_account';

/** The wire-independent type of a dimension or metric, as it lands in a warehouse. */
export const fieldTypes = [
  'string',
  'integer',
  'decimal',
  'money',
  'percent',
  'date',
  'boolean',
  'json',
] as const;
export type FieldType = (typeof fieldTypes)[number];

/** One dimension or metric a data source can report. */
export interface FieldSpec {
  /** The provider's field name, e.g. `impressions`. */
  name: string;
  label: string;
  type: FieldType;
  description: string;
}

/** The schema information shown on the data source page. */
export interface SourceSchema {
  dimensions: FieldSpec[];
  metrics: FieldSpec[];
}

/** Markdown documents shipped in the connector's `docs/` folder. */
export interface ConnectorDocs {
  setupGuide: string;
  troubleshooting: string;
  /** `docs/mapping.md`: how the source's fields map to `paid_ads__basic_performance` (or why it does not feed it). */
  mapping?: string | undefined;
}

/** A credential as the connector needs it; the vault stores it encrypted. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string | undefined;
  /** When the access token stops working, if the provider says. */
  expiresAt?: string | undefined;
  /**
   * When the refresh token itself stops working, if the provider says (LinkedIn: a year after the first grant;
   * refreshing does not extend it). The connection's expiry warning forecasts from this when present.
   */
  refreshExpiresAt?: string | undefined;
  /** Scopes the provider says were granted. */
  scopes: string[];
  /**
   * Provider-specific secret material sealed with the rest of the set, e.g. a GA4 service-account key that signs
   * new assertions. Never shown, logged or returned by the API.
   */
  secrets?: Record<string, string> | undefined;
}

/** Who authorized: shown as Business Account / Business Account ID. */
export interface ProviderIdentity {
  /** Email or login of the authorizing user (falls back to the display name when the provider hides the email). */
  businessAccount: string;
  /** The provider's own id for that user. */
  businessAccountId: string;
}

/** One ad account (or property) discovered behind a credential. */
export interface ProviderAccount {
  /** The provider's id, without decoration (Meta: the bare `account_id`, not `act_…`). */
  id: string;
  name: string;
  currency: string | null;
  timezone: string | null;
  /** The provider's status word, lower-case, e.g. `active`, `disabled`, `closed`. */
  status: string;
  /**
   * True for a manager account (a Google Ads MCC) that groups other accounts and has no report data of its own:
   * shown, but never extracted.
   */
  manager?: boolean | undefined;
  /**
   * The names of the accounts above this one, top first: a Google Ads client's manager chain, a GA4 property's
   * account. Absent or empty for a top-level account.
   */
  managerPath?: string[] | undefined;
}

/** Settings of the HTTP calls a connector makes. Tests shorten them. */
export interface HttpSettings {
  /** Abort a provider call after this many ms. */
  timeoutMs: number;
  /** How many times a transient failure is retried. */
  maxRetries: number;
  /** First back-off delay; doubles each retry. */
  retryBaseMs: number;
  /** Longest quota wait (e.g. from Retry-After) worth sleeping through instead of failing. */
  maxQuotaWaitMs: number;
}

/** What a connector is built with. */
export interface ConnectorEnvironment {
  /** Provider settings from the environment (only the variables the connector declared). */
  env: Readonly<Record<string, string | undefined>>;
  /** Base URL of the built-in sandbox for this provider (e.g. `http://127.0.0.1:4400/sandbox/meta-ads`), or null when sandboxes are off. */
  sandboxBaseUrl: () => string | null;
  /**
   * True when base URL overrides may point at loopback hosts although the sandbox is off
   * (`TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS=1`); see `kit/base-url.ts`.
   */
  allowLoopbackHosts?: boolean;
  http: HttpSettings;
  /** Used for every provider call; injectable so tests can count calls. */
  fetch: typeof fetch;
}

/** The OAuth 2.0 part of a connector. */
export interface OAuth2Flow {
  /** True when the authorize URL takes a PKCE code challenge (S256). */
  pkce: boolean;
  /** Scopes requested on authorization. */
  scopes: string[];
  authorizationUrl(input: { state: string; redirectUri: string; codeChallenge?: string | undefined }): string;
  /** Exchanges the callback code for a (long-lived where the provider has one) token. */
  exchangeCode(input: {
    code: string;
    redirectUri: string;
    codeVerifier?: string | undefined;
  }): Promise<TokenSet>;
}

/** One input of a non-OAuth credential form (API key, login, service-account key). */
export interface CredentialField {
  name: string;
  label: string;
  /** Secret values are sealed in the vault and never shown again. */
  secret: boolean;
  description: string;
  maxLength: number;
  /** A regular expression the value must match, when the provider's format is known. */
  pattern?: string | undefined;
}

/** How a non-OAuth source takes and checks its credentials. */
export interface CredentialForm {
  /**
   * The auth type of a connection made through this form, when it differs from the source's own (GA4 signs in
   * with Google OAuth or takes a `service_account` key). Defaults to the source's auth type.
   */
  authType?: AuthType | undefined;
  fields: CredentialField[];
  /**
   * Checks the values with the provider before anything is saved. Returns the credential to
   * store and who it belongs to; throws TributaryError (auth category for wrong credentials).
   */
  verify(values: Record<string, string>): Promise<{ token: TokenSet; identity: ProviderIdentity }>;
}

/** A ready-to-use connector for one provider, in sandbox or real mode. */
export interface Connector {
  id: string;
  name: string;
  authType: AuthType;
  /** True when calls go to the built-in sandbox. */
  sandbox: boolean;
  /** False when neither real credentials nor the sandbox are available. */
  configured: boolean;
  docs: ConnectorDocs;
  schema: SourceSchema;
  /** Present for `oauth2` sources. */
  oauth?: OAuth2Flow | undefined;
  /** Present for `api_key` and `login` sources. */
  credentialForm?: CredentialForm | undefined;
  /** Reads who the credential belongs to. Throws TributaryError on provider errors. */
  identify(token: TokenSet): Promise<ProviderIdentity>;
  /** Yields discovered accounts page by page. Throws TributaryError on provider errors. */
  discoverAccounts(token: TokenSet): AsyncIterable<ProviderAccount[]>;
  /** Revokes the credential at the provider, where it supports that. */
  revoke?(token: TokenSet): Promise<void>;
  /**
   * Gets a new access token for an expiring credential: the OAuth `refresh_token` grant, or a new signed
   * assertion for a service-account key. Present for providers whose access tokens expire. Returns the whole
   * new set (a rotated refresh token replaces the old one; when the provider sends none, the old one is kept).
   * The caller stores the result before using it and runs one refresh at a time per credential
   * (`connections/credentials.ts`). Throws TributaryError `auth_token_revoked` when the grant is gone
   * (`invalid_grant`), other categories as for any call.
   */
  refresh?(token: TokenSet): Promise<TokenSet>;
  /** Templates and report reading; absent for sources that cannot be extracted yet. */
  extraction?: ExtractionSupport | undefined;
}

/** A connector module: its identity plus a factory. */
export interface ConnectorDefinition {
  id: string;
  name: string;
  authType: AuthType;
  /** Environment variables this connector reads (through config.ts). */
  envVars: string[];
  create(environment: ConnectorEnvironment): Connector;
}

/** A fault the sandbox can inject through its control API. */
export const sandboxFaults = [
  'token_expired',
  'revoked',
  'permission_denied',
  'rate_limited',
  'server_error',
  'malformed',
  /** A report page cut off mid-body (valid headers, invalid JSON). */
  'truncated_page',
  /** The next asynchronous report job fails. */
  'async_job_failed',
  /** The next asynchronous report job never finishes. */
  'async_job_hangs',
  /** The next call never answers (past any client timeout). */
  'hang',
] as const;
export type SandboxFault = (typeof sandboxFaults)[number];

/** A seeded sandbox user, as listed by `GET /sandbox/_control/users`. */
export interface SandboxUserSummary {
  email: string;
  name: string;
  userId: string;
  /** How many accounts discovery should find for this user. */
  accounts: number;
}

/** Shared services the sandbox host gives every provider sandbox. */
export interface SandboxContext {
  /** Returns the fault to inject into this call (and consumes one), or null. */
  takeFault(provider: string): SandboxFault | null;
  /** Records a token the sandbox issued, so tests can look for it where it must not be. */
  recordToken(
    provider: string,
    token: { kind: 'access_token' | 'refresh_token' | 'code'; value: string; user: string },
  ): void;
  /** The sandbox clock: virtual, moved by `POST /sandbox/_control/clock`. */
  now(): Date;
}

/** Ground truth per day, as `GET /sandbox/_control/truth` returns it. */
export interface SandboxTruthDay {
  date: string;
  spend: number;
  impressions: number;
  clicks: number;
  conversions: number;
  /**
   * Further true totals by the provider's own metric name, for sources whose main figures are not ads metrics
   * (GA4: `sessions`, `screenPageViews`). A conformance subject maps them to its columns (`truthColumns`).
   */
  metrics?: Record<string, number> | undefined;
}

/** A provider's fake API, mounted by the sandbox host at `/sandbox/<provider>/`. */
export interface SandboxProvider {
  provider: string;
  users(): SandboxUserSummary[];
  /** Registers the routes; `app` is already scoped to the `/sandbox/<provider>` prefix. */
  register(app: FastifyInstance, context: SandboxContext): void;
  /**
   * The provider's true account-level totals per day, as of the sandbox clock (inclusive dates,
   * account time zone). Null when the account is unknown.
   */
  truth?(account: string, from: string, to: string, context: SandboxContext): SandboxTruthDay[] | null;
}

// ---------------------------------------------------------------------------------------------
// Extraction: templates, reading reports, provider totals for reconciliation.
// ---------------------------------------------------------------------------------------------

/** A template setting a user may change (e.g. attribution windows). */
export interface TemplateSettingSpec {
  name: string;
  label: string;
  description: string;
  /** `multi`: a subset of `options`; `single`: one of `options`; `integer`: a whole number in [min, max]. */
  kind: 'multi' | 'single' | 'integer';
  options?: string[];
  min?: number;
  max?: number;
  default: string[] | string | number;
}

/** A rule the provider imposes on a selection, checked before an extraction is saved. */
export interface TemplateRule {
  /** `exclusive`: at most one of `fields` may be selected; `requires`: selecting `fields[0]` needs all others. */
  kind: 'exclusive' | 'requires';
  fields: string[];
  message: string;
}

/** A global template, declared in the connector's folder. */
export interface Template {
  /** Globally unique, `<source>.<slug>`, e.g. `meta-ads.campaign_daily`. */
  id: string;
  dataSource: string;
  name: string;
  description: string;
  dataClass: 'daily';
  /** The provider's reporting level, e.g. `account`, `campaign`, `adset`, `ad`. */
  level: string;
  /** Every field of the template (dimensions and metrics), with types. */
  dimensions: FieldSpec[];
  metrics: FieldSpec[];
  requiredDimensions: string[];
  requiredMetrics: string[];
  defaultDimensions: string[];
  defaultMetrics: string[];
  settings: TemplateSettingSpec[];
  rules: TemplateRule[];
  /** How far back the provider keeps data, in days. */
  historicalDepthDays: number;
  /** The default lookback a schedule re-reads (the attribution window). */
  defaultLookbackDays: number;
  /** The widest date window one read may ask for; the engine slices runs by it. */
  maxWindowDays: number;
}

/** What one read asks for: one account, one inclusive date window, one selection. */
export interface ReportRequest {
  template: Template;
  account: { id: string; name: string; timezone: string | null; currency: string | null };
  /** Selected dimension and metric names (validated against the template). */
  dimensions: string[];
  metrics: string[];
  /** Template settings, validated. */
  settings: Record<string, string[] | string | number>;
  /** Inclusive `YYYY-MM-DD` dates in the account's time zone. */
  from: string;
  to: string;
}

/** A typed cell: strings for text and dates (`YYYY-MM-DD`), numbers for numeric types, JSON as a string. */
export type CellValue = string | number | boolean | null;

/** One destination column a selection produces (the `date` column is always first). */
export interface ColumnSpec {
  name: string;
  type: FieldType;
}

/** Counters a read reports as it goes. */
export interface ReadHooks {
  /** Called after every HTTP call to the provider. */
  onApiCall(): void;
  /** Called when the read waits for a quota to recover, with the wait in ms. */
  onQuotaWait(ms: number): void;
  /** Aborts the read (run cancelled or the slice stalled). */
  signal: AbortSignal;
}

/** Per-day totals of the reconcilable metrics, as the provider reports them at account level. */
export interface DailyTotals {
  date: string;
  /** Keyed by column name, e.g. `spend`, `impressions`, `clicks`. */
  values: Record<string, number>;
}

/** The extraction part of a connector. */
export interface ExtractionSupport {
  templates: Template[];
  /** The columns a selection produces, in table order; `date` first. Pure: no provider call. */
  columns(request: Omit<ReportRequest, 'account' | 'from' | 'to'>): ColumnSpec[];
  /** Streams typed rows (keyed by column name, every row has `date`) page by page. */
  read(token: TokenSet, request: ReportRequest, hooks: ReadHooks): AsyncIterable<Record<string, CellValue>[]>;
  /** Metrics whose destination sums can be compared with {@link totals} (column names). */
  reconcilableMetrics: string[];
  /** The provider's own account-level totals per day for the same window and settings. */
  totals(token: TokenSet, request: ReportRequest, hooks: ReadHooks): Promise<DailyTotals[]>;
  /**
   * How this paid source feeds the cross-source `paid_ads__basic_performance` model: the templates whose rows
   * sum to the account's totals per campaign (breakdowns that cover only part of the spend, like keywords, are
   * left out), and which of their columns are the model's fields. Absent for non-paid sources (GA4). Documented
   * as a table in the connector's `docs/mapping.md`.
   */
  paidAds?: { templates: string[]; fields: PaidAdsFields } | undefined;
  /**
   * Account status words the provider serves no reports for (Google Ads: `canceled`, `suspended`, `closed` answer
   * `CUSTOMER_NOT_ENABLED`). Runs skip such accounts with the reason instead of failing their slices.
   */
  unreportableStatuses?: string[] | undefined;
}

/** Source column names of the model's fields (the model's `date`, account id and name come with every row). */
export interface PaidAdsFields {
  campaignId?: string | undefined;
  campaignName?: string | undefined;
  spend: string;
  impressions: string;
  clicks: string;
  conversions?: string | undefined;
}
