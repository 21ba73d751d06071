/**
 * How google-ads feeds the cross-source `paid_ads__basic_performance` model (see `docs/mapping.md`). Ad group, ad,
 * keyword and search-term templates are left out: Performance Max and other campaign types have no ad group or ad
 * rows, and keywords and search terms cover Search campaigns only, so their sums fall short of the account.
 */
import type { PaidAdsFields } from '../kit/types.ts';

/** Templates whose rows add up to the account's totals per campaign. */
export const GOOGLE_ADS_PAID_ADS_TEMPLATES: readonly string[] = [
  'google-ads.account_daily',
  'google-ads.campaign_daily',
];

/** Source column → model field. */
export const GOOGLE_ADS_PAID_ADS_FIELDS: PaidAdsFields = {
  campaignId: 'campaign_id',
  campaignName: 'campaign_name',
  spend: 'spend',
  impressions: 'impressions',
  clicks: 'clicks',
  conversions: 'conversions',
};
