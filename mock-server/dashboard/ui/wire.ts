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
  active: boolean;
  created_at: string;
  last_used: string | null;
  expires_at: string | null;
}

export interface KeyList {
  data: ApiKey[];
}

/** Create and regenerate: the only two responses that carry the full key. */
export interface IssuedKey extends ApiKey {
  key: string;
}

/** One window of `GET /v1/usage`: totals and equal-width buckets, oldest first. */
export interface UsageWindow {
  requests: number;
  succeeded: number;
  failed: number;
  /** succeeded / requests, or null when there were no requests. */
  success_rate: number | null;
  bucket_seconds: number;
  buckets: Array<{ start: string; requests: number; errors: number }>;
}

export interface KeyUsage {
  id: string;
  name: string;
  prefix: string;
  active: boolean;
  /** Every request made with the key since the server started (or was reset). */
  requests_total: number;
  /** Requests and failures in the last 24 hours. */
  requests: number;
  errors: number;
  error_rate: number | null;
}

export interface Usage {
  environment: Environment;
  generated_at: string;
  active_keys: number;
  total_keys: number;
  last_hour: UsageWindow;
  last_day: UsageWindow;
  keys: KeyUsage[];
}
