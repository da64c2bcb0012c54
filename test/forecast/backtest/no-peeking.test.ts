/**
 * The poison test: multiplying the forecast week's loads changes every method's scores but none of its schedules,
 * so no method sees data of the week it forecasts.
 */
import {
  defaultMethods,
  runBacktest,
  type BacktestMethod,
  type MethodForecast,
} from "../../../components/forecast";
import { apiProfile, makeHistory, MONDAY, WEEK, weekdayLectures } from "./histories";

const windows = weekdayLectures(3, 200);

/** The methods, each recording what it answered. */
function recorded(): { methods: BacktestMethod[]; answers: MethodForecast[][] } {
  const answers: MethodForecast[][] = [];
  const methods = defaultMethods().map((m, i) => {
    answers[i] = [];
    return {
      ...m,
      forecast: (context: Parameters<BacktestMethod["forecast"]>[0]) => {
        const answer = m.forecast(context);
        if (!("skipped" in answer)) answers[i]!.push(answer);
        return answer;
      },
    };
  });
  return { methods, answers };
}

function run(poison: number) {
  const base = (t: number): number => (t >= MONDAY + 2 * WEEK ? poison : 1) * (30 + ((t / 60_000) % 7));
  const history = makeHistory({ weeks: 3, base, windows, synthetic: true });
  const { methods, answers } = recorded();
  const result = runBacktest(history, windows, { profile: apiProfile(), methods });
  return { answers, scores: result.series[0]!.methods.map((m) => m.weeks) };
}

describe("no method sees the forecast week", () => {
  it("poisoning the forecast week's loads changes the scores, not the schedules", () => {
    const clean = run(1);
    const poisoned = run(5);
    expect(clean.answers.map((a) => a.length)).toEqual([1, 1, 1, 1, 1]);
    expect(poisoned.answers).toEqual(clean.answers);
    clean.scores.forEach((weeks, i) => expect(poisoned.scores[i]).not.toEqual(weeks));
  });
});
