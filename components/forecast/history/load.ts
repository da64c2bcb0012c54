/** Reads a history file from disk (one problem naming the file when it cannot) and parses it. */
import { readInputFile } from "../../core";
import type { History } from "../types";
import { parseHistory, type HistoryParseOptions } from "./parse";

/** Loads and parses the history at `path`; `name` is the file as the user named it. @default path */
export function loadHistoryFile(
  path: string,
  name: string = path,
  options: HistoryParseOptions = {},
): History {
  return parseHistory(readInputFile(path, name), name, options);
}
