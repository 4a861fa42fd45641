import { compareStrings as compare } from './compare.js';
import { isSecretEnvFile } from './env-file.js';
import type { KeyType } from './key-types.js';
import type { ScanRuleId } from './rule.js';

/*
 * Rules over where each key was found, across the whole scan: wrong-environment (a key's
 * environment against its file's) and key-reuse (one key in several env files). They run once
 * the scan has seen every key, over sightings that identify a key by its fingerprint only.
 */

/** What a file is for, from the project's environment globs (keyguard.config.json `environments`). */
export type PlaceContext = 'test' | 'production';

/** One key found in one place. `keyId` is a hash of the key: the rules never see the key itself. */
export interface KeySighting {
  path: string;
  keyType: KeyType;
  keyId: string;
  /** The file's context, when its path matches the test or production globs. */
  context?: PlaceContext;
}

/** A hit on the sighting at `at`; for key-reuse, `also` lists the other sightings of the same key. */
export interface SightingHit {
  ruleId: ScanRuleId;
  at: number;
  reason: string;
  also?: number[];
}

/** The environments a context expects keys of. */
const BELONGS: Record<PlaceContext, readonly KeyType[]> = {
  test: ['test', 'sandbox'],
  production: ['live'],
};

const CONTEXT_NAME: Record<PlaceContext, string> = {
  test: 'a test or development file',
  production: 'a production file',
};

/** `wrong-environment`: a live key in a test or development file, a test or sandbox key in a production file. */
export function wrongEnvironment(sightings: readonly KeySighting[]): SightingHit[] {
  const hits: SightingHit[] = [];
  sightings.forEach((sighting, at) => {
    const { context, keyType } = sighting;
    if (context === undefined || BELONGS[context].includes(keyType)) return;
    const expected = BELONGS[context].join(' or ');
    hits.push({ ruleId: 'wrong-environment', at, reason: `a ${keyType} key in ${CONTEXT_NAME[context]}, which should hold ${expected} keys` });
  });
  return hits;
}

/**
 * `key-reuse`: one key in the env files (`.env`, `.env.*`, not templates) of two environments
 * or of two packages, that is in two env files. Reported once per key, at its first place in
 * path order, listing the others.
 */
export function keyReuse(sightings: readonly KeySighting[]): SightingHit[] {
  const byKey = new Map<string, number[]>();
  sightings.forEach((sighting, at) => {
    if (!isSecretEnvFile(sighting.path)) return;
    const places = byKey.get(sighting.keyId) ?? [];
    if (!places.some((other) => sightings[other]?.path === sighting.path)) places.push(at);
    byKey.set(sighting.keyId, places);
  });
  const hits: SightingHit[] = [];
  for (const places of byKey.values()) {
    if (places.length < 2) continue;
    const [first, ...also] = [...places].sort((a, b) => compare(sightings[a]?.path ?? '', sightings[b]?.path ?? ''));
    const others = also.map((at) => sightings[at]?.path).join(', ');
    hits.push({ ruleId: 'key-reuse', at: first as number, reason: `the same key is also in ${others}: give each environment and package its own key`, also });
  }
  return hits;
}

/** Every rule over sightings. */
export function judgeSightings(sightings: readonly KeySighting[]): SightingHit[] {
  return [...wrongEnvironment(sightings), ...keyReuse(sightings)];
}
