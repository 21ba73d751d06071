/**
 * How linkedin-ads feeds the cross-source `paid_ads__basic_performance` model (see `docs/mapping.md`). The
 * campaign group template is left out: it has no campaign to name.
 */
import type { PaidAdsFields } from '../kit/types.ts';

/** Templates whose rows add up to the account's totals per campaign. */
export const LINKEDIN_PAID_ADS_TEMPLATES: readonly string[] = [
  'linkedin-ads.account_daily',
  'linkedin-ads.campaign_daily',
  'linkedin-ads.creative_daily',
];

/** Source column → model field. */
export const LINKEDIN_PAID_ADS_FIELDS: PaidAdsFields = {
  campaignId: 'campaign_id',
  campaignName: 'campaign_name',
  spend: 'cost_in_local_currency',
  impressions: 'impressions',
  clicks: 'clicks',
  conversions: 'external_website_conversions',
};
