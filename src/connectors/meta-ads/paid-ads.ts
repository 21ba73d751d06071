/**
 * How meta-ads feeds the cross-source `paid_ads__basic_performance` model (see `docs/mapping.md`). Breakdown
 * templates (age & gender, country, platform & device) are left out: Meta does not promise that breakdown rows add
 * up to the unbroken totals.
 */
import type { PaidAdsFields } from '../kit/types.ts';

/** Templates whose rows add up to the account's totals per campaign. */
export const META_PAID_ADS_TEMPLATES: readonly string[] = [
  'meta-ads.account_daily',
  'meta-ads.campaign_daily',
  'meta-ads.adset_daily',
  'meta-ads.ad_daily',
];

/** Source column → model field. */
export const META_PAID_ADS_FIELDS: PaidAdsFields = {
  campaignId: 'campaign_id',
  campaignName: 'campaign_name',
  spend: 'spend',
  impressions: 'impressions',
  clicks: 'clicks',
  conversions: 'actions_purchase',
};
