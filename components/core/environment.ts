/** The environments a stack can be; `prod` turns on the production guardrails (three zones, deletion protection). */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
