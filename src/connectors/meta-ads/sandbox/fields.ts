/**
 * Graph field selection: parses `fields=id,name,business{id,name}` and projects the sandbox's User and
 * AdAccount nodes onto it. Fields the node type has but the sandbox does not model are left out, as
 * Graph leaves out fields with no value; names the node type does not have are an error.
 */
import type { SeedAdAccount, SeedUser } from './seed.ts';
import { graphDateTime, offsetHours } from './wire.ts';

/** One selected field, with the sub-selection of `field{a,b}`. */
export interface FieldSelection {
  name: string;
  children?: FieldSelection[] | undefined;
}

/** The outcome of parsing `fields`. */
export type ParsedFields = { ok: true; fields: FieldSelection[] } | { ok: false; message: string };

/**
 * Parses a `fields` parameter. Modifiers such as `.limit(5)` are accepted and ignored; unbalanced
 * braces are a syntax error, as on Graph.
 */
export function parseFields(raw: string): ParsedFields {
  let position = 0;
  const syntaxError = (): ParsedFields => ({
    ok: false,
    message: `Syntax error "Expected end of string instead of "${raw[position] ?? ''}"." at character ${position}: ${raw}`,
  });
  const parseList = (nested: boolean): FieldSelection[] | null => {
    const list: FieldSelection[] = [];
    for (;;) {
      const match = /^\s*([A-Za-z0-9_]+)((?:\.[A-Za-z_]+\([^()]*\))*)\s*/.exec(raw.slice(position));
      if (!match) {
        // Tolerate empty items (`id,,name` and a trailing comma), as Graph does.
        if (raw[position] === ',') {
          position += 1;
          continue;
        }
        break;
      }
      position += match[0].length;
      const field: FieldSelection = { name: match[1]! };
      if (raw[position] === '{') {
        position += 1;
        const children = parseList(true);
        if (!children || raw[position] !== '}') return null;
        position += 1;
        field.children = children;
      }
      list.push(field);
      if (raw[position] !== ',') break;
      position += 1;
    }
    return nested || position >= raw.length ? list : null;
  };
  const fields = parseList(false);
  if (!fields) return syntaxError();
  return { ok: true, fields };
}

/** A projection failure: the first field the node type does not have. */
export interface UnknownField {
  unknownField: string;
  nodeType: string;
}

type Projection = { ok: true; value: Record<string, unknown> } | ({ ok: false } & UnknownField);

function project(
  nodeType: string,
  known: ReadonlySet<string>,
  values: Record<string, () => unknown>,
  fields: FieldSelection[],
): Projection {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!known.has(field.name)) return { ok: false, unknownField: field.name, nodeType };
    const value = values[field.name]?.();
    if (value === undefined) continue;
    out[field.name] = field.children && isPlainObject(value) ? pick(value, field.children) : value;
  }
  // Graph always returns a node's id, even when it was not asked for.
  if (!('id' in out) && values.id) out.id = values.id();
  return { ok: true, value: out };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(value: Record<string, unknown>, children: FieldSelection[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const child of children) if (child.name in value) out[child.name] = value[child.name];
  if (!('id' in out) && 'id' in value) out.id = value.id;
  return out;
}

/** User fields Graph knows; only some carry values in the sandbox. */
const userFields: ReadonlySet<string> = new Set(
  (
    'id name email first_name last_name middle_name short_name name_format picture link birthday gender ' +
    'hometown location locale timezone verified age_range install_type installed is_guest_user languages ' +
    'updated_time about'
  ).split(' '),
);

/** Default `/me` fields when the request names none. */
export const defaultUserFields: FieldSelection[] = [{ name: 'id' }, { name: 'name' }];

/** Projects a seeded user onto the selected fields; `email` only when the token was granted `email`. */
export function projectUser(user: SeedUser, scopes: readonly string[], fields: FieldSelection[]): Projection {
  return project(
    'User',
    userFields,
    {
      id: () => user.userId,
      name: () => user.name,
      // Meta leaves email out, silently, unless the user granted the email permission.
      email: () => (scopes.includes('email') ? user.email : undefined),
      first_name: () => user.firstName,
      last_name: () => user.lastName,
      short_name: () => user.firstName,
      name_format: () => '{first} {last}',
    },
    fields,
  );
}

/** AdAccount fields per Meta's SDK codegen spec (v25.0). */
const adAccountFields: ReadonlySet<string> = new Set(
  (
    'account_id account_status ad_account_promotable_objects age agency_client_declaration all_capabilities ' +
    'amount_spent attribution_spec balance brand_safety_content_filter_levels business business_city ' +
    'business_country_code business_name business_state business_street business_street2 business_zip ' +
    'can_create_brand_lift_study capabilities created_time currency custom_audience_info ' +
    'default_dsa_beneficiary default_dsa_payor disable_reason end_advertiser end_advertiser_name ' +
    'existing_customers expired_funding_source_details extended_credit_invoice_group failed_delivery_checks ' +
    'fb_entity funding_source funding_source_details has_migrated_permissions has_page_authorized_adaccount id ' +
    'io_number is_attribution_spec_system_default is_ba_skip_delayed_eligible is_direct_deals_enabled ' +
    'is_in_3ds_authorization_enabled_market is_notifications_enabled is_personal is_prepay_account ' +
    'is_tax_id_required liable_address line_numbers marketing_messages_settings media_agency ' +
    'min_campaign_group_spend_cap min_daily_budget name offsite_clo_signal_status offsite_pixels_tos_accepted ' +
    'opportunity_score owner owner_business partner rf_spec send_bill_to_address show_checkout_experience ' +
    'sold_to_address spend_cap tax_id tax_id_status tax_id_type timezone_id timezone_name ' +
    'timezone_offset_hours_utc tos_accepted user_access_expire_time user_tasks user_tos_accepted viewable_business'
  ).split(' '),
);

/** Default `/me/adaccounts` fields: Graph returns `account_id` and `id` when none are named. */
export const defaultAdAccountFields: FieldSelection[] = [{ name: 'account_id' }, { name: 'id' }];

/** Checks a selection against AdAccount without projecting, so a bad field fails even on an empty page. */
export function unknownAdAccountField(fields: FieldSelection[]): string | undefined {
  return fields.find((field) => !adAccountFields.has(field.name))?.name;
}

/** Projects a seeded ad account; `account_status`, `disable_reason` and offsets are JSON numbers, the rest strings. */
export function projectAdAccount(
  owner: SeedUser,
  account: SeedAdAccount,
  fields: FieldSelection[],
  now: Date,
): Record<string, unknown> {
  const projection = project(
    'AdAccount',
    adAccountFields,
    {
      id: () => `act_${account.accountId}`,
      account_id: () => account.accountId,
      name: () => account.name,
      account_status: () => account.accountStatus,
      disable_reason: () => account.disableReason,
      currency: () => account.currency,
      timezone_name: () => account.timezoneName,
      timezone_offset_hours_utc: () => offsetHours(now, account.timezoneName),
      amount_spent: () => account.amountSpent,
      created_time: () => graphDateTime(new Date(account.createdTime * 1000), account.timezoneName),
      business: () => account.business && { id: account.business.id, name: account.business.name },
      business_name: () => account.business?.name,
      is_personal: () => (account.business ? 0 : 1),
      owner: () => account.business?.id ?? owner.userId,
    },
    fields,
  );
  // Fields were validated by unknownAdAccountField before any row is projected.
  return projection.ok ? projection.value : {};
}
