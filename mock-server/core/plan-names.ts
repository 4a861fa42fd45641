/** The seed's plan names: a module of their own, so `keyguard serve`'s option table names them without the rate limiter. */
export const PLAN_NAMES = ['free', 'professional', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];
