// The JSON the public API sends, as the dashboard reads it (DESIGN.md "Mock key API").

export type Environment = 'live' | 'sandbox' | 'test';

export interface ApiKey {
  id: string;
  name: string;
  description: string | null;
  environment: Environment;
  /** The key's first characters, the only part the list ever shows. */
  prefix: string;
  permissions: string[];
  plan: string;
  rate_limit: { per_hour: number; per_minute: number };
  active: boolean;
  created_at: string;
  last_used: string | null;
  expires_at: string | null;
  usage: { requests_today: number; requests_this_month: number; requests_total: number };
  /** keyguard's extension: the permissions successful requests needed, with their last use. */
  permissions_used: Array<{ permission: string; last_used: string }>;
}

export interface KeyList {
  data: ApiKey[];
}

/** Create and regenerate: the only two responses that carry the full key. */
export interface IssuedKey extends ApiKey {
  key: string;
}

/** One window of `GET /v1/usage`: totals and equal slices, oldest first; the last slice ends now. */
export interface UsageWindow {
  requests: number;
  succeeded: number;
  failed: number;
  /** succeeded / requests, or null when there were no requests. */
  success_rate: number | null;
  bucket_seconds: number;
  buckets: Array<{ start: string; requests: number; failed: number }>;
}

export interface KeyUsage {
  id: string;
  name: string;
  prefix: string;
  active: boolean;
  last_used: string | null;
  usage: ApiKey['usage'];
  /** Requests that authenticated with the key in the last 24 hours. */
  last_day: { requests: number; failed: number; error_rate: number | null };
}

/** `GET /v1/usage` (admin:*), computed from the server's request journal on the server's clock. */
export interface Usage {
  environment: Environment;
  now: string;
  total_keys: number;
  active_keys: number;
  last_hour: UsageWindow;
  last_day: UsageWindow;
  keys: KeyUsage[];
}
