import { z } from 'zod';

/**
 * `keyguard.config.json`, or the `"keyguard"` field of `package.json`: every field optional.
 * Its own module, loaded only when a config exists, so scans without one never load zod.
 */
export const CONFIG_SCHEMA = z.strictObject({
  ignore: z.array(z.string()).optional(),
  allow: z.array(z.string()).optional(),
  failOn: z.enum(['live', 'any']).optional(),
  baseline: z.string().min(1).optional(),
  environments: z.strictObject({ test: z.array(z.string()).optional(), production: z.array(z.string()).optional() }).optional(),
});

export type ConfigValues = z.infer<typeof CONFIG_SCHEMA>;

export const CONFIG_FIELDS = Object.keys(CONFIG_SCHEMA.shape).join(', ');
