/**
 * Forecasting: load histories (parsed from CSV), learning a profile from them, and the backtest that scores
 * calendar scaling against its baselines on them. This file is its public API.
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
