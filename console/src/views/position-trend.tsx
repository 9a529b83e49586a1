import { useState } from 'preact/hooks';
import { positionSeries } from '../api/series';
import { LineChart } from '../ui/chart';
import { useConsole } from '../ui/context';
import { Show, useLoad } from '../ui/load';

const PERIODS = [8, 13, 26, 52] as const;

/** The position over time, a point a week; drawn after the table so the first figures never wait for it. */
export function PositionTrend() {
  const { api, profile } = useConsole();
  const [weeks, setWeeks] = useState<number>(8);
  const series = useLoad((signal) => positionSeries(api, profile.id, weeks, signal), [profile.id, weeks]);
  return (
    <section aria-labelledby="trend-title">
      <h2 id="trend-title">Position over time</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Period
          <select value={String(weeks)} onChange={(e) => setWeeks(Number((e.target as HTMLSelectElement).value))}>
            {PERIODS.map((n) => (
              <option key={n} value={String(n)}>
                {n} weeks
              </option>
            ))}
          </select>
        </label>
      </form>
      <Show value={series.value} what="the position over time">
        {(s) => (
          <LineChart
            title="Licenses purchased, assigned and in low usage, week by week"
            labels={s.points.map((p) => p.asOf)}
            lines={[
              { name: 'Purchased', values: s.points.map((p) => p.purchased), tone: 'tone-1' },
              { name: 'Assigned', values: s.points.map((p) => p.assigned), tone: 'tone-2' },
              { name: 'Low usage', values: s.points.map((p) => p.lowUsage), tone: 'tone-3' },
            ]}
          />
        )}
      </Show>
    </section>
  );
}
