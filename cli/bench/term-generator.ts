/**
 * The seeded term generator moved to product code (`components/forecast/synthetic/term-generator.ts`), where the
 * synthetic histories need it; the benchmark and its tests keep importing it from here.
 */
export {
  DEFAULT_TERM_REGIONS,
  TERM_PROFILE,
  generateTerm,
  seededRandom,
  type Term,
  type TermOptions,
  type TermRegion,
} from "../../components/forecast";
