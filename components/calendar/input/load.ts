/** Reads calendar and profile files from disk and hands them to the parser their extension names. */
import { extname } from "path";
import { readInputFile, throwIfProblems } from "../../core";
import { parseIcs } from "./ics";
import { parseJsonCalendar } from "./json-calendar";
import { parseProfile } from "./profile";
import type { CalendarParseOptions } from "./recurrence";
import type { CalendarWindow, LoadProfile } from "../types";

/**
 * Loads a calendar: `.ics`/`.ical` as iCalendar, `.json` as a JSON calendar (case-insensitive).
 * `options.file` names the file in windows and errors. @default path
 * @internal
 */
export function loadCalendarFile(
  path: string,
  options: Omit<CalendarParseOptions, "file"> & { readonly file?: string },
): CalendarWindow[] {
  const ext = extname(path).toLowerCase();
  const file = options.file ?? path;
  if (ext !== ".ics" && ext !== ".ical" && ext !== ".json") {
    throwIfProblems(file, [
      {
        path: "(extension)",
        value: ext === "" ? undefined : ext,
        rule: "must be .ics or .ical (iCalendar) or .json (JSON calendar)",
      },
    ]);
  }
  const text = readInputFile(path, file);
  const resolved = { ...options, file };
  return ext === ".json" ? parseJsonCalendar(text, resolved) : parseIcs(text, resolved);
}

/** @internal Loads and validates a load profile (JSON); `name` names the file in problems. @default path */
export function loadProfileFile(path: string, name: string = path): LoadProfile {
  return parseProfile(readInputFile(path, name), name);
}
