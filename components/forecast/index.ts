/**
 * The forecasting module: load histories, what is learned from them, and the backtest that scores calendar
 * scaling against its baselines on them. This file is its public API.
 */
export type { History, HistoryPoint, HistorySeries } from "./types";
export { runBacktest, defaultMethods, BACKTEST_SOURCE } from "./backtest/backtest";
export type { BacktestOptions, BacktestResult, SeriesBacktest, MethodResult } from "./backtest/backtest";
export type { BacktestMethod, ForecastContext, MethodForecast } from "./backtest/method";
export { backtestTable } from "./backtest/table";
export { backtestJson } from "./backtest/report";
export { plotBacktest } from "./backtest/plot";
