/**
 * Strimzi's maintenance time windows from an AWS weekly window: exact expressions, and a property against an
 * independent matcher of the Quartz subset they use (every minute of the week matched exactly when inside).
 */
import fc from "fast-check";
import { strimziMaintenanceTimeWindows } from "../../components/data/kafka/strimzi-maintenance";
import { formatWeekly, weeklyWindow, WEEK_MINUTES } from "../../components/data/windows";

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Whether a `* M H ? * DOW` expression (M and H `*`, a value or a range) matches minute-of-week `m` (Sunday 0). */
function matches(expression: string, m: number): boolean {
  const [seconds, minute, hour, dom, month, dow] = expression.split(" ");
  if (seconds !== "*" || dom !== "?" || month !== "*") throw new Error(`unexpected ${expression}`);
  const field = (f: string, v: number) => {
    if (f === "*") return true;
    const [lo, hi = lo] = f.split("-").map(Number);
    return v >= lo! && v <= hi!;
  };
  return (
    DAYS[Math.floor(m / 1440)] === dow && field(hour!, Math.floor((m % 1440) / 60)) && field(minute!, m % 60)
  );
}

describe("strimziMaintenanceTimeWindows", () => {
  it("writes whole hours as an hour range and partial hours by minute, per day", () => {
    expect(strimziMaintenanceTimeWindows("sun:05:00-sun:06:00")).toEqual(["* * 5 ? * SUN"]);
    expect(strimziMaintenanceTimeWindows("tue:02:15-tue:05:30")).toEqual([
      "* 15-59 2 ? * TUE",
      "* * 3-4 ? * TUE",
      "* 0-29 5 ? * TUE",
    ]);
    expect(strimziMaintenanceTimeWindows("sat:23:30-sun:00:45")).toEqual([
      "* 30-59 23 ? * SAT",
      "* 0-44 0 ? * SUN",
    ]);
    expect(strimziMaintenanceTimeWindows("mon:07:10-mon:07:11")).toEqual(["* 10 7 ? * MON"]);
    expect(strimziMaintenanceTimeWindows("monday")).toEqual([]);
  });

  it("matches exactly the window's minutes, for any weekly window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: WEEK_MINUTES - 1 }),
        fc.integer({ min: 1, max: 1500 }),
        (start, minutes) => {
          const window = formatWeekly(start, minutes);
          const expressions = strimziMaintenanceTimeWindows(window);
          const inside = weeklyWindow(window)!.intervals;
          for (let m = 0; m < WEEK_MINUTES; m++) {
            const expected = inside.some(([s, e]) => m >= s && m < e);
            if (expressions.some((x) => matches(x, m)) !== expected) return false;
          }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });
});
