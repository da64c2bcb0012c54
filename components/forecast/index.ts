/** Forecasting: load histories (parsed from CSV), learning a profile from them, and backtesting it. */
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
