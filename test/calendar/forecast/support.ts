/** A learned baseline for tests: a diurnal shape per service, in the fixture profile's learners. */
import { slotsPerWeek } from "../../../components/calendar/model/baseline";
import type { LoadBaseline, LoadProfile } from "../../../components/calendar/types";

/** Load in slot `s` of the week: a morning-to-evening hump on weekdays, flat low at weekends. */
export function diurnal(slotMinutes: number, peak: number, low: number): (slot: number) => number {
  return (slot) => {
    const minute = (slot * slotMinutes) % 1440;
    const weekday = Math.floor((slot * slotMinutes) / 1440); // 0 = Monday
    const hour = minute / 60;
    const day = Math.max(0, Math.sin(((hour - 7) / 14) * Math.PI)); // 07:00..21:00
    return weekday >= 5 ? low : low + (peak - low) * (hour >= 7 && hour <= 21 ? day : 0);
  };
}

/** A baseline over `services` in one region, quantiles [0.5, 0.9] (the 0.9 level 20 % above the median). */
export function baselineFor(
  region: string,
  zone: string,
  shapes: Readonly<Record<string, (slot: number) => number>>,
  slotMinutes = 30,
): LoadBaseline {
  const slots = slotsPerWeek(slotMinutes);
  const levels = (f: (slot: number) => number, factor: number) =>
    Array.from({ length: slots }, (_, s) => Math.round(f(s) * factor * 100) / 100);
  return {
    quantiles: [0.5, 0.9],
    slotMinutes,
    series: {
      [region]: Object.fromEntries(
        Object.entries(shapes).map(([service, f]) => [
          service,
          { zone, levels: { "0.5": levels(f, 1), "0.9": levels(f, 1.2) } },
        ]),
      ),
    },
  };
}

export function withBaseline(profile: LoadProfile, baseline: LoadBaseline): LoadProfile {
  return { ...profile, baseline };
}
