/**
 * Errors specific to Ads Insights, each in the shape Meta was seen sending it: the BUC insights throttle
 * (80000, fixture `errors/error_80000_ads_insights_rate_limit.json`), the sync "too much data" 500
 * (code 1, no type, no trace id), the 37-month limit (3018, with its `WWW-Authenticate` challenge, as
 * reported in daroczig/fbRads#137), reading a report run before it completed (2601 / 1815107, as
 * reported in facebook-python-business-sdk#293) and the fields of a failed report run.
 */
import { withChallenge } from './errors.ts';
import { type GraphResponse, graphError } from './wire.ts';

/** The Ads Insights business-use-case throttle: 80000 / 2446079. */
export function insightsRateLimitError(): GraphResponse {
  return graphError(400, {
    message:
      '(#80000) There have been too many calls from this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
    type: 'OAuthException',
    code: 80000,
    error_subcode: 2446079,
  });
}

/** A sync insights request over the row budget; this is what pushes clients to report runs. */
export function tooMuchDataError(): GraphResponse {
  return {
    status: 500,
    body: {
      error: {
        message: "Please reduce the amount of data you're asking for, then retry your request",
        code: 1,
      },
    },
  };
}

/** A time range starting more than 37 months back. */
export function beyondRetentionError(): GraphResponse {
  return withChallenge(
    graphError(400, {
      message: '(#3018) The start date of the time range cannot be beyond 37 months from the current date',
      type: 'OAuthException',
      code: 3018,
    }),
    'invalid_request',
  );
}

/** Reading `/{report_run_id}/insights` while the run is not `Job Completed` (transient, retry later). */
export function reportNotReadyError(): GraphResponse {
  return graphError(400, {
    message: 'Error accessing adreport job.',
    type: 'OAuthException',
    code: 2601,
    error_subcode: 1815107,
    is_transient: true,
    error_user_title: 'Loading Async Ads Report Failed',
    error_user_msg:
      'Sorry, the report cannot be loaded successfully. Please check if your job status is completed instead of failed or running before fetching the data.',
  });
}

/**
 * The error fields of a failed report run (returned by default from v25.0; `error_code` is a signed
 * int since then). Code and subcode are Meta's documented "Async: Report Failed" pair (-2 / 2490547);
 * the texts are the sandbox's own wording, as no verbatim failed run was found.
 */
export const failedRunError = {
  error_code: -2,
  error_subcode: 2490547,
  error_message: 'Report failed. The report could not be generated.',
  error_user_title: 'Report Failed',
  error_user_msg:
    'Your report could not be generated. Try a shorter date range or fewer breakdowns, then create a new report.',
} as const;
