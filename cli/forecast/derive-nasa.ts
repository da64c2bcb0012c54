/**
 * `npx ts-node --transpile-only cli/forecast/derive-nasa.ts <workload.tbz2> > data/forecast/nasa-ksc-1995.csv`
 *
 * Derives the vendored NASA KSC trace (data/forecast/SOURCES.md) from web-service-datasets' `workload.tbz2`:
 * per-second request counts of the July and August 1995 logs, laid on the clock the logs had (each month starts
 * at its own first second; the file does not say so), summed per 5-minute UTC slot and divided by 300, as a
 * `time,load` history. Slots the logs do not cover (the missing end of July, the Hurricane Erin shutdown) are
 * written as no rows, never as zeros. Checks every fact it relies on and stops if one does not hold.
 * Needs `tar` with bzip2 on the PATH, only here: the derived file is committed.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { readFileSync } from "fs";

const ARCHIVE_SHA256 = "7fa62292d993dde1f278eaa039b50860203a86fbc93a8f92150a548191be4ded";
const MEMBER = "workload.txt";
const MEMBER_SHA256 = "732277156c9b24046eaa27134afb753990db5fadd15ec703edba216c7ff009ff";
const ENTRIES = 5_059_950;
const REQUESTS = 3_461_610;
/** Entries of the July log; entry 0 of each log is its first second. */
const JULY_ENTRIES = 2_381_544;
const JULY_FIRST = Date.UTC(1995, 6, 1, 4, 0, 1); // 1995-07-01 00:00:01 -0400
const AUGUST_FIRST = Date.UTC(1995, 7, 1, 4, 0, 1); // 1995-08-01 00:00:01 -0400
/** The shutdown: the run of zeros SOURCES.md locates, entry index and length. */
const OUTAGE_ENTRY = 2_435_065;
const OUTAGE_ZEROS = 135_851;
/** Where the August log's surplus entries would run past its last second (see SOURCES.md). */
const END = Date.UTC(1995, 8, 1, 4, 0, 0);
const SLOT_MS = 5 * 60_000;

const fail = (what: string): never => {
  throw new Error(`derive-nasa: ${what}`);
};
const sha256 = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");
const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** The instant of entry `i`. */
const secondOf = (i: number): number =>
  i < JULY_ENTRIES ? JULY_FIRST + i * 1000 : AUGUST_FIRST + (i - JULY_ENTRIES) * 1000;

function counts(archive: string): Uint16Array {
  if (sha256(readFileSync(archive)) !== ARCHIVE_SHA256)
    fail(`${archive} is not the archive SOURCES.md names`);
  const text = execFileSync("tar", ["-xOjf", archive, MEMBER], { maxBuffer: 64 << 20 });
  if (sha256(text) !== MEMBER_SHA256) fail(`${MEMBER} differs from the member SOURCES.md names`);
  const out = new Uint16Array(ENTRIES);
  let n = 0;
  let value = -1;
  for (const c of text) {
    if (c >= 48 && c <= 57) value = (value < 0 ? 0 : value * 10) + (c - 48);
    else if (value >= 0) [out[n++], value] = [value, -1];
  }
  if (value >= 0) out[n++] = value;
  if (n !== ENTRIES) fail(`${n} entries, expected ${ENTRIES}`);
  const total = out.reduce((s, v) => s + v, 0);
  if (total !== REQUESTS) fail(`${total} requests, expected ${REQUESTS}`);
  return out;
}

/** The seconds no log covers: the end of July, and the outage located from its zeros. */
function unknown(entries: Uint16Array): [number, number][] {
  const zeros = entries.subarray(OUTAGE_ENTRY, OUTAGE_ENTRY + OUTAGE_ZEROS);
  const bounded = entries[OUTAGE_ENTRY - 1]! > 0 && entries[OUTAGE_ENTRY + OUTAGE_ZEROS]! > 0;
  if (!zeros.every((v) => v === 0) || !bounded)
    fail("the outage's run of zeros is not where SOURCES.md says");
  return [
    [secondOf(JULY_ENTRIES - 1) + 1000, AUGUST_FIRST - 1000],
    [secondOf(OUTAGE_ENTRY), secondOf(OUTAGE_ENTRY + OUTAGE_ZEROS)],
  ];
}

function derive(archive: string): string[] {
  const entries = counts(archive);
  const sums = new Map<number, number>();
  entries.forEach((v, i) => {
    const t = secondOf(i);
    if (t < END) sums.set(t - (t % SLOT_MS), (sums.get(t - (t % SLOT_MS)) ?? 0) + v);
  });
  const holes = unknown(entries);
  const rows: string[] = [];
  for (let slot = JULY_FIRST - 1000; slot < END; slot += SLOT_MS) {
    if (holes.some(([from, to]) => slot < to && slot + SLOT_MS > from)) continue;
    rows.push(`${iso(slot)},${Number(((sums.get(slot) ?? 0) / 300).toFixed(4))}`);
  }
  // Every slot a hole touches is dropped: the gaps run from the slot a hole starts in to the one after it ends.
  const [tail, outage] = holes.map(([from, to]) => [
    from - (from % SLOT_MS),
    Math.ceil(to / SLOT_MS) * SLOT_MS,
  ]);
  return [
    "# NASA Kennedy Space Center WWW server (Internet Traffic Archive NASA-HTTP), July and August 1995",
    "# load = requests per second, averaged over each 5-minute slot (the slot's request count / 300)",
    "# time = the slot's start, UTC (the logs' clock was EDT, -04:00)",
    `# gaps, as no rows: ${iso(tail![0]!)} to ${iso(tail![1]!)} (no log), ` +
      `${iso(outage![0]!)} to ${iso(outage![1]!)} (server shut down for Hurricane Erin)`,
    "# derived by cli/forecast/derive-nasa.ts from reconfigurable-ml-pipeline/web-service-datasets " +
      "dataset/nasa/workload.tbz2; provenance and terms: data/forecast/SOURCES.md",
    "time,load",
    ...rows,
  ];
}

const archive = process.argv[2];
if (archive === undefined) fail("usage: derive-nasa.ts <workload.tbz2>");
process.stdout.write(`${derive(archive!).join("\n")}\n`);
