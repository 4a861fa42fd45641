import { isoSeconds } from './clock.js';
import { generateId, type RandomSource } from './keys.js';
import type { Collection } from './store.js';

interface Resource {
  id: string;
  created_at: string;
  updated_at: string;
}

/**
 * Creates a task, project or user: the checked request body plus an id and timestamps.
 * `defaults` fills the optional fields the body left out, so every stored item has all of them.
 */
export function createResource<T extends Resource>(
  collection: Collection<T>,
  idKind: string,
  fields: Partial<Omit<T, keyof Resource>>,
  defaults: Omit<T, keyof Resource>,
  now: number,
  random: RandomSource,
): T {
  const at = isoSeconds(now);
  const item = { ...defaults, ...stripUndefined(fields), id: generateId(idKind, random), created_at: at, updated_at: at } as T;
  collection.set(item);
  return item;
}

export function updateResource<T extends Resource>(item: T, patch: Partial<Omit<T, keyof Resource>>, now: number): T {
  Object.assign(item, stripUndefined(patch), { updated_at: isoSeconds(now) });
  return item;
}

function stripUndefined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
