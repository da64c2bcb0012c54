/**
 * The bench's real timetables: classes of ITC 2019 instances (UniTime data from real universities, derived by
 * derive-itc2019.ts; provenance in data/SOURCES.md) turned into calendar windows of one region. Week 1 of the
 * instance starts on `termStart` (a Monday); slot s of a day is minute 5s, local time in the university's zone,
 * so the term's weeks become dated windows across its daylight-saving change like any calendar's.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { DateTime } from "luxon";
import type { CalendarWindow } from "../../components/calendar";

/** One vendored instance and where its university is. */
export interface RealTimetable {
  readonly name: string;
  readonly region: string;
  readonly timezone: string;
  /** Monday of teaching week 1, `YYYY-MM-DD`. */
  readonly termStart: string;
}

export const REAL_TIMETABLES: readonly RealTimetable[] = [
  // Masaryk University, Faculty of Informatics (Brno), spring 2017; taught from mid-February.
  { name: "muni-fi-spr17", region: "eu-central-1", timezone: "Europe/Prague", termStart: "2027-02-15" },
  // Yachay Tech (Ecuador), fall 2017.
  { name: "yach-fal17", region: "us-east-1", timezone: "America/Guayaquil", termStart: "2027-09-06" },
];

/** The timetable's windows (one per class meeting, `learners` = the class limit) and the horizon that holds them. */
export function realTimetableWindows(t: RealTimetable): {
  windows: CalendarWindow[];
  horizon: { from: number; to: number };
  classes: number;
} {
  const file = join(__dirname, "data", `${t.name}.csv`);
  const lines = readFileSync(file, "utf8").split("\n");
  const weeksTotal = Number(/nrWeeks=(\d+)/.exec(lines[0] ?? "")?.[1]);
  const monday = DateTime.fromISO(t.termStart, { zone: t.timezone });
  const windows: CalendarWindow[] = [];
  let classes = 0;
  for (const [index, line] of lines.slice(2).entries()) {
    if (line.trim() === "") continue;
    const [count, limit, days, start, length, weeks] = line.split(",");
    classes += Number(count);
    for (let w = 0; w < weeks!.length; w++) {
      if (weeks![w] !== "1") continue;
      for (let d = 0; d < days!.length; d++) {
        if (days![d] !== "1") continue;
        const begin = monday.plus({ weeks: w, days: d, minutes: 5 * Number(start) });
        const startMs = begin.toMillis();
        const id = `${t.name}-${index}`;
        windows.push({
          eventId: id,
          occurrenceId: `${id}@${begin.toUTC().toISO()}`,
          summary: `${t.name} row ${index + 3}`,
          kind: "lecture",
          region: t.region,
          learners: Number(count) * Number(limit),
          start: startMs,
          end: startMs + 5 * Number(length) * 60_000,
          timezone: t.timezone,
          source: { file, line: index + 3 },
        });
      }
    }
  }
  const from = monday.minus({ days: 1 }).toUTC().startOf("day").toMillis();
  const to = monday.plus({ weeks: weeksTotal }).toUTC().startOf("day").toMillis();
  return { windows: windows.sort((a, b) => a.start - b.start), horizon: { from, to }, classes };
}
