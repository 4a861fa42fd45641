import type { KeyType } from '../../src/detect/index.js';
import { fakeKey } from '../helpers/keys.js';

const DAY_MS = 86_400_000;

interface SeedEntry {
  key: string;
  name: string;
  description?: string | null;
  permissions?: string[];
  expires_at?: string | null;
  active?: boolean;
  created_at?: string;
  last_used?: string | null;
}

/**
 * A seeded key set in which each key breaks exactly one of the audit's rules (the admin key the
 * audit runs with breaks only `key-admin`), with the findings it must give. Keys in `use` are
 * used by the test before the audit (GET /v1/tasks, which needs tasks:read), as a live
 * integration would; the others stay as the seed says.
 */
export function hygieneSeed(env: KeyType, now = Date.now()) {
  const at = (days: number) => new Date(now + days * DAY_MS).toISOString();
  const fine = { description: 'Checkout service, owned by payments', permissions: ['tasks:read'], expires_at: at(200), created_at: at(-20) };
  const entries: SeedEntry[] = [];
  const expected: Array<[string, string]> = [];
  const use: string[] = [];
  const add = (entry: Omit<SeedEntry, 'key'>, rule: string | undefined, used: boolean): string => {
    const key = fakeKey(env);
    entries.push({ key, ...fine, ...entry });
    if (rule) expected.push([entry.name, rule]);
    if (used) use.push(key);
    return key;
  };
  const adminKey = add({ name: 'Audit admin', permissions: ['admin:*'], created_at: at(-10) }, 'key-admin', false);
  if (env === 'live') {
    add({ name: 'Old live key', created_at: at(-120) }, 'key-rotation-overdue', true);
    add({ name: 'Never used', created_at: at(-40), last_used: null }, 'key-never-used', false);
    add({ name: 'Unused', created_at: at(-60), last_used: at(-45) }, 'key-unused', false);
    add({ name: 'No expiry', expires_at: null }, 'key-no-expiry', true);
    add({ name: 'Expiring soon', expires_at: at(10) }, 'key-expiring-soon', true);
    add({ name: 'Unused permissions', permissions: ['tasks:read', 'tasks:write', 'projects:read'], created_at: at(-40) }, 'key-unused-permissions', true);
    add({ name: 'No description', description: null }, 'key-no-description', true);
    add({ name: 'Inactive', active: false }, 'key-inactive', false);
    add({ name: 'Expired', expires_at: at(-2), created_at: at(-100) }, 'key-inactive', false);
    add({ name: 'Healthy', created_at: at(-40) }, undefined, true);
  } else {
    add({ name: 'Old test key', created_at: at(-200) }, 'key-rotation-overdue', true);
    // 120 days is past the live period but within the 180 days the seed gives development keys.
    add({ name: 'Recent test key', created_at: at(-120) }, undefined, true);
  }
  return { seed: { plan: 'professional', keys: entries }, adminKey, use, expected: expected.sort(byPair), keys: entries.map((entry) => entry.key) };
}

export function byPair(a: [string, string], b: [string, string]): number {
  return a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]);
}

/** Uses each key once, as the integration holding it would: a read of tasks. */
export async function useKeys(base: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const response = await fetch(`${base}/v1/tasks`, { headers: { authorization: `Bearer ${key}` } });
    if (response.status !== 200) throw new Error(`using a seeded key got ${response.status}`);
  }
}
