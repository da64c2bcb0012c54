import { fillGaps, observeWeek } from "../../../components/forecast/backtest/slots";
import { firstMondayUtc, rollingFolds, wholeWeeks } from "../../../components/forecast/backtest/weeks";
import { MIN, MONDAY, WEEK } from "./histories";

describe("backtest weeks and slots", () => {
  it("starts at the first Monday 00:00 UTC at or after the history and keeps whole weeks only", () => {
    expect(firstMondayUtc(MONDAY)).toBe(MONDAY);
    expect(firstMondayUtc(MONDAY + 1)).toBe(MONDAY + WEEK);
    expect(firstMondayUtc(MONDAY - 3 * 24 * 60 * MIN)).toBe(MONDAY); // a Friday
    const weeks = wholeWeeks({ from: MONDAY - 1, to: MONDAY + 3 * WEEK + 5 });
    expect(weeks.map((w) => (w.start - MONDAY) / WEEK)).toEqual([0, 1, 2]);
    expect(wholeWeeks({ from: MONDAY, to: MONDAY + 5 * WEEK }, 4)).toHaveLength(4);
  });

  it("forecasts every week from the third on, each from all the weeks before it", () => {
    const folds = rollingFolds(wholeWeeks({ from: MONDAY, to: MONDAY + 5 * WEEK }));
    expect(folds.map((f) => [f.forecast, (f.week.start - MONDAY) / WEEK])).toEqual([
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });

  it("spreads a point coarser than a slot over every slot it covers", () => {
    const points = [
      { time: MONDAY, load: 7 },
      { time: MONDAY + 15 * MIN, load: 2 },
    ];
    const week = observeWeek(
      { region: "us-east-1", service: "api", points },
      { start: MONDAY, end: MONDAY + WEEK },
      15 * MIN,
    );
    expect(week.peak.slice(0, 7)).toEqual([7, 7, 7, 2, 2, 2, NaN]);
  });

  it("fills gaps for fitting from the nearest week with data, the earlier on a tie", () => {
    expect(
      fillGaps([
        [1, NaN, NaN],
        [NaN, 5, NaN],
        [3, 6, NaN],
      ]),
    ).toEqual([
      [1, 5, 15 / 4],
      [1, 5, 15 / 4],
      [3, 6, 15 / 4],
    ]);
  });
});
