import { runBacktest } from "../../../components/forecast";
import { seasonalNaive } from "../../../components/forecast/backtest/methods/seasonal-naive";
import { apiProfile, makeHistory, MONDAY, WEEK } from "./histories";

/** A flat load per week: 100, then 115, then `third`. Capacity 1, so need = the load. */
function steps(third: number) {
  const level = (t: number): number => [100, 115, third][Math.floor((t - MONDAY) / WEEK)]!;
  return makeHistory({ weeks: 3, base: level });
}

function chosen(third: number): readonly string[] {
  const result = runBacktest(steps(third), [], {
    profile: apiProfile(),
    capacity: 1,
    methods: [seasonalNaive],
  });
  return result.series[0]!.methods[0]!.chosen;
}

describe("margins chosen on training data only", () => {
  it("picks the smallest margin that covers the last training week forecast from the one before", () => {
    // 100 x 1.15 = 115 covers week 2; 1.10 would not.
    expect(chosen(115)).toEqual(["+15 %"]);
  });

  it("does not move when the forecast week changes", () => {
    expect(chosen(1000)).toEqual(["+15 %"]);
    expect(chosen(50)).toEqual(["+15 %"]);
  });

  it("says so when no candidate reaches the target on training", () => {
    const level = (t: number): number => [1, 100, 100][Math.floor((t - MONDAY) / WEEK)]!;
    const result = runBacktest(makeHistory({ weeks: 3, base: level }), [], {
      profile: apiProfile(),
      capacity: 1,
      methods: [seasonalNaive],
    });
    expect(result.series[0]!.methods[0]!.chosen).toEqual(["+300 % (target missed)"]);
  });
});
