/**
 * Forecasting: load histories (parsed from CSV), synthetic histories with a known truth, learning a load profile
 * from a history and a calendar, and backtesting it. This file is the module's public API.
 */
export type { History, HistoryPoint, HistorySeries } from "./types";
export { parseHistory, type HistoryParseOptions } from "./history/parse";
export { loadHistoryFile } from "./history/load";
export {
  EXPORTED_LOAD_UNIT,
  HISTORY_COLUMNS,
  HISTORY_TITLE,
  unitComment,
  type HistoryColumn,
} from "./history/format";
export { MAX_LISTED_PROBLEMS } from "./history/problems";
export { runBacktest, defaultMethods, BACKTEST_SOURCE } from "./backtest/backtest";
export type { BacktestOptions, BacktestResult, SeriesBacktest, MethodResult } from "./backtest/backtest";
export type { BacktestMethod, ForecastContext, MethodForecast } from "./backtest/method";
export { backtestTable } from "./backtest/table";
export { backtestJson } from "./backtest/report";
export { plotBacktest } from "./backtest/plot";
export {
  DEFAULT_TERM_REGIONS,
  TERM_PROFILE,
  generateTerm,
  seededRandom,
  type Term,
  type TermOptions,
  type TermRegion,
} from "./synthetic/term-generator";
export {
  DEFAULT_SYNTHETIC_SHARES,
  SYNTHETIC_UNIT,
  synthesizeHistory,
  syntheticBaseline,
  type SynthesizeOptions,
  type SyntheticHistory,
  type SyntheticTruth,
} from "./synthetic/synthesize";
export { DEFAULT_NOISE, latencyP95, type SyntheticNoise, type LatencyCurve } from "./synthetic/model";
export { calendarJson, historyCsv } from "./synthetic/csv";
export { fitProfile, learnProfile, HAND_PROFILE_UNIT, DEFAULT_LEARNED_SERVICE } from "./learn/learn";
export type { LearnOptions, LearnResult, LearnedSeries } from "./learn/types";
export type { CapacityFit } from "./learn/capacity";
export { learnReport } from "./learn/report";
