/**
 * `npx ts-node --transpile-only cli/bench/derive-itc2019.ts <instance.xml> > cli/bench/data/<name>.csv`
 *
 * Derives the bench's real-timetable fixture from an ITC 2019 instance (UniTime's XML format, see
 * https://www.itc2019.org/format): one row per class with its `limit` (seats), at one of its cheapest listed times
 * (lowest `penalty`): the i-th class of a subpart takes the (i mod n)-th of its n cheapest times in listed order,
 * so the parallel sections of a course spread over their allowed times as a real timetable spreads them, instead
 * of all meeting at once. No published solution is used (none was found to vendor). Rooms, students and distribution constraints are dropped:
 * the bench needs when classes meet and how many learners they can hold, nothing else. Identical rows are counted
 * once with a multiplicity, which keeps the fixture small.
 */
import { readFileSync } from "fs";

interface Row {
  readonly limit: number;
  readonly days: string;
  readonly start: number;
  readonly length: number;
  readonly weeks: string;
}

function attr(tag: string, name: string): string {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  if (m === null) throw new Error(`derive-itc2019: missing ${name} in ${tag}`);
  return m[1]!;
}

function derive(xml: string): { header: string; rows: Map<string, number> } {
  const problem = /<problem\b[^>]*>/.exec(xml)?.[0];
  if (problem === undefined) throw new Error("derive-itc2019: no <problem> element");
  const rows = new Map<string, number>();
  // A subpart holds the parallel classes (sections) of one part of a course; a class element runs to its closing
  // tag and its <time> children are its allowed times.
  for (const subpart of xml.matchAll(/<subpart\b[^>]*>([\s\S]*?)<\/subpart>/g)) {
    let index = 0;
    for (const m of subpart[1]!.matchAll(/<class\b([^>]*)>([\s\S]*?)<\/class>/g)) {
      const limit = Number(attr(m[1]!, "limit"));
      const times = [...m[2]!.matchAll(/<time\b[^>]*\/>/g)].map((t) => ({
        limit,
        days: attr(t[0], "days"),
        start: Number(attr(t[0], "start")),
        length: Number(attr(t[0], "length")),
        weeks: attr(t[0], "weeks"),
        penalty: Number(attr(t[0], "penalty")),
      }));
      const lowest = Math.min(...times.map((t) => t.penalty));
      const cheapest: Row[] = times.filter((t) => t.penalty === lowest);
      const chosen = cheapest[index++ % Math.max(1, cheapest.length)];
      if (chosen === undefined || limit <= 0) continue;
      const key = [chosen.limit, chosen.days, chosen.start, chosen.length, chosen.weeks].join(",");
      rows.set(key, (rows.get(key) ?? 0) + 1);
    }
  }
  const header = ["name", "nrDays", "slotsPerDay", "nrWeeks"]
    .map((n) => `${n}=${attr(problem, n)}`)
    .join(" ");
  return { header, rows };
}

const file = process.argv[2];
if (file === undefined) throw new Error("usage: derive-itc2019.ts <instance.xml>");
const { header, rows } = derive(readFileSync(file, "utf8"));
console.log(`# ${header}`);
console.log("count,limit,days,start,length,weeks");
for (const [key, count] of [...rows].sort((a, b) => (a[0] < b[0] ? -1 : 1))) console.log(`${count},${key}`);
