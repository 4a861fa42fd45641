/** Every permission a key can hold, as the seed lists them. `admin:*` is full access. */
export const PERMISSIONS = [
  'tasks:read',
  'tasks:write',
  'tasks:delete',
  'projects:read',
  'projects:write',
  'projects:delete',
  'users:read',
  'users:write',
  'admin:*',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ADMIN: Permission = 'admin:*';

/** True when the held permissions include `required` (`admin:*` includes everything). */
export function hasPermission(held: readonly Permission[], required: Permission): boolean {
  return held.includes(required) || held.includes(ADMIN);
}

/** The requested permissions that the granting key does not hold itself: a key cannot hand out more than it has. */
export function ungrantable(held: readonly Permission[], requested: readonly Permission[]): Permission[] {
  return requested.filter((permission) => !hasPermission(held, permission));
}
