/**
 * MSTL with an AutoETS trend from `@bsull/augurs` (grafana/augurs, MIT OR Apache-2.0), run in a child Node
 * process. Why a process: the package is ESM-only WebAssembly whose loader uses `import.meta`, which Node loads
 * natively but Jest's CommonJS runtime cannot; a child process runs it the same way under the CLI and the tests,
 * synchronously, and nothing is installed or compiled at run time (the wasm ships in the package).
 *
 * Relied on (the package's `mstl.d.ts`): `MSTL.ets(periods)`, `fit(y)`, `predict(horizon, level)` returns the
 * point forecast and, with a level in (0, 1), symmetric prediction intervals at that level (so the upper bound
 * at level 2q - 1 is the q quantile); `initSync({ module })` instantiates the wasm from its bytes.
 */
import { execFileSync } from "child_process";

/** @internal One fit: the series, its seasonal periods (in steps), how far to forecast and at which levels. */
export interface MstlFit {
  readonly y: readonly number[];
  readonly periods: readonly number[];
  readonly horizon: number;
  /** Prediction-interval levels in (0, 1) whose upper bounds are wanted. */
  readonly levels: readonly number[];
}

/** @internal A fit's point forecast and, per level (`String(level)`), its upper bound. */
export interface MstlForecast {
  readonly point: readonly number[];
  readonly upper: Readonly<Record<string, readonly number[]>>;
}

const CHILD = `
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
const entry = process.argv[1];
const m = await import(pathToFileURL(entry).href);
m.initSync({ module: readFileSync(join(dirname(entry), "mstl_bg.wasm")) });
const fits = JSON.parse(readFileSync(0, "utf8"));
const out = fits.map(({ y, periods, horizon, levels }) => {
  const model = m.MSTL.ets(periods);
  model.fit(y);
  const point = model.predict(horizon).point;
  const upper = Object.fromEntries(levels.map((l) => [String(l), model.predict(horizon, l).intervals.upper]));
  model.free();
  return { point, upper };
});
process.stdout.write(JSON.stringify(out));
`;

/** @internal Fits and forecasts every `fits` entry in one child process. */
export function mstlForecasts(fits: readonly MstlFit[]): MstlForecast[] {
  if (fits.length === 0) return [];
  const entry = require.resolve("@bsull/augurs/mstl");
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", CHILD, entry], {
    input: JSON.stringify(fits),
    maxBuffer: 1 << 28,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  });
  return JSON.parse(stdout) as MstlForecast[];
}
