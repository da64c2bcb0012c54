/** Reads calendar and profile files from disk and hands them to the parser their extension names. */
import { readFileSync } from "fs";
import { extname } from "path";
import { throwIfProblems } from "./errors";
import { parseIcs } from "./ics";
import { parseJsonCalendar } from "./json-calendar";
import { parseProfile } from "./profile";
import type { CalendarParseOptions } from "./recurrence";
import type { CalendarWindow, LoadProfile } from "../types";

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throwIfProblems([
      { file: path, field: "(file)", value: (e as Error).message, allowed: "a readable file" },
    ]);
    return "";
  }
}

/**
 * Loads a calendar: `.ics`/`.ical` as iCalendar, `.json` as a JSON calendar (case-insensitive).
 * `options.file` names the file in windows and errors. @default path
 */
export function loadCalendarFile(
  path: string,
  options: Omit<CalendarParseOptions, "file"> & { readonly file?: string },
): CalendarWindow[] {
  const ext = extname(path).toLowerCase();
  const file = options.file ?? path;
  if (ext !== ".ics" && ext !== ".ical" && ext !== ".json") {
    throwIfProblems([
      {
        file,
        field: "(extension)",
        value: ext || "none",
        allowed: "a calendar file ending in .ics, .ical or .json",
      },
    ]);
  }
  const text = read(path);
  const resolved = { ...options, file };
  return ext === ".json" ? parseJsonCalendar(text, resolved) : parseIcs(text, resolved);
}

/** Loads and validates a load profile (JSON). */
export function loadProfileFile(path: string): LoadProfile {
  return parseProfile(read(path), path);
}
