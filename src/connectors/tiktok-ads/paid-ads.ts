/**
 * How tiktok-ads feeds the cross-source `paid_ads__basic_performance` model (see `docs/mapping.md`). AUDIENCE
 * reports (age & gender, country) are left out: TikTok's audience splits need not add up to the BASIC totals.
 */
import type { PaidAdsFields } from '../kit/types.ts';

/** Templates whose rows add up to the account's totals per campaign. */
export const TIKTOK_PAID_ADS_TEMPLATES: readonly string[] = [
  'tiktok-ads.advertiser_daily',
  'tiktok-ads.campaign_daily',
  'tiktok-ads.adgroup_daily',
  'tiktok-ads.ad_daily',
];

/** Source column → model field. */
export const TIKTOK_PAID_ADS_FIELDS: PaidAdsFields = {
  campaignId: 'campaign_id',
  campaignName: 'campaign_name',
  spend: 'spend',
  impressions: 'impressions',
  clicks: 'clicks',
  conversions: 'conversion',
};
