import { useState } from 'preact/hooks';
import { NotAvailable, profilePath } from '../api/client';
import { positionSeries } from '../api/series';
import type {
  ConsolidationItem,
  DowngradeItem,
  LowUsageItem,
  PositionAnswer,
  PositionRow,
  Reclamation,
  SoftwareModel,
} from '../api/types';
import { LineChart } from '../ui/chart';
import { useConsole } from '../ui/context';
import { count, day, money } from '../ui/format';
import { Show, useLoad } from '../ui/load';

const DAY_MS = 24 * 3600 * 1000;

/** The morning's first page: the position now, what it costs, what can be and was saved, and its trend. */
export function PositionView() {
  const { api, profile } = useConsole();
  const position = useLoad(
    (signal) => api.get<PositionAnswer>(profilePath(profile.id, '/license-position?limit=1000'), signal),
    [profile.id],
  );
  return (
    <section aria-labelledby="position-title">
      <h1 id="position-title">License position</h1>
      <Show value={position.value} what="the license position">
        {(answer) => (
          <>
            <Money answer={answer} />
            <PositionTable rows={answer.items} asOf={answer.asOf} />
            <Trend />
          </>
        )}
      </Show>
    </section>
  );
}

function PositionTable(props: { rows: PositionRow[]; asOf: string }) {
  const expiring = props.rows.some((r) => r.inGracePeriod !== undefined);
  return (
    <table class="data" aria-label="License position per software model">
      <caption>As of {props.asOf.slice(0, 19).replace('T', ' ')} UTC</caption>
      <thead>
        <tr>
          <th scope="col">Software model</th>
          <th scope="col">SKU</th>
          <th scope="col" class="num">
            Purchased
          </th>
          <th scope="col" class="num">
            Assigned
          </th>
          <th scope="col" class="num">
            Active
          </th>
          <th scope="col" class="num">
            Low usage
          </th>
          <th scope="col" class="num">
            Excluded
          </th>
          {expiring ? <th scope="col">Expiring</th> : null}
          <th scope="col">Compliance</th>
          <th scope="col" class="num">
            Cost / month
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.skuId} data-sku={row.skuPartNumber}>
            <th scope="row">{row.name}</th>
            <td>
              <code>{row.skuPartNumber}</code>
            </td>
            <td class="num" data-field="purchased">
              {count(row.purchased)}
            </td>
            <td class="num" data-field="assigned">
              {count(row.assigned)}
            </td>
            <td class="num">{row.active === null ? 'not tracked' : count(row.active)}</td>
            <td class="num">{count(row.lowUsage)}</td>
            <td class="num">{count(row.excluded)}</td>
            {expiring ? <td>{graceText(row)}</td> : null}
            <td>
              <span class={`badge ${row.compliance}`}>{row.compliance}</span>
            </td>
            <td class="num">{money(row.monthlyCost, row.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function graceText(row: PositionRow): string {
  const parts: string[] = [];
  const grace = typeof row.inGracePeriod === 'number' ? row.inGracePeriod : row.inGracePeriod ? 1 : 0;
  const suspended = typeof row.suspended === 'number' ? row.suspended : row.suspended ? 1 : 0;
  if (grace) parts.push(typeof row.inGracePeriod === 'number' ? `${count(grace)} in grace period` : 'in grace period');
  if (suspended) parts.push(typeof row.suspended === 'number' ? `${count(suspended)} suspended` : 'suspended');
  return parts.join(', ') || '—';
}

interface Savings {
  lowUsage: number | null;
  consolidation: number | null;
  downgrade: number | null;
}

/** Money per month: what the licenses cost, what the three analyses would save, what reclaims saved. */
function Money(props: { answer: PositionAnswer }) {
  const { api, profile } = useConsole();
  const currency = props.answer.totals?.currency ?? 'USD';
  const cost = props.answer.totals?.monthlyCost ?? props.answer.items.reduce((s, r) => s + (r.monthlyCost ?? 0), 0);
  const expiring = props.answer.items.reduce(
    (s, r) => s + (typeof r.inGracePeriod === 'number' ? r.inGracePeriod : r.inGracePeriod ? 1 : 0),
    0,
  );
  const savings = useLoad(
    async (signal): Promise<Savings> => {
      const sum = (items: { value: number | null }[]) => items.reduce((s, i) => s + (i.value ?? 0), 0);
      const orNull = <T,>(p: Promise<T>) => p.catch((e) => (e instanceof NotAvailable ? null : Promise.reject(e)));
      const [low, consolidation, downgrade] = await Promise.all([
        api.all<LowUsageItem>(profilePath(profile.id, '/low-usage'), signal),
        orNull(api.all<ConsolidationItem>(profilePath(profile.id, '/consolidation'), signal)),
        orNull(api.all<DowngradeItem>(profilePath(profile.id, '/downgrade-advice'), signal)),
      ]);
      return {
        lowUsage: sum(low.filter((i) => i.proven !== false).map((i) => ({ value: i.monthlyCost }))),
        consolidation: consolidation && sum(consolidation.map((i) => ({ value: i.monthlySavings }))),
        downgrade: downgrade && sum(downgrade.map((i) => ({ value: i.monthlySavings }))),
      };
    },
    [profile.id],
  );
  return (
    <div class="figures">
      <Figure label="Cost per month" value={money(cost, currency)} />
      <Show value={savings.value} what="the savings found">
        {(s) => (
          <>
            <Figure label="Low usage: savings found" value={money(s.lowUsage, currency)} />
            <Figure
              label="Consolidation: savings found"
              value={s.consolidation === null ? 'not available' : money(s.consolidation, currency)}
            />
            <Figure
              label="Downgrade: savings found"
              value={s.downgrade === null ? 'not available' : money(s.downgrade, currency)}
            />
          </>
        )}
      </Show>
      <Realised />
      {props.answer.items.some((r) => r.inGracePeriod !== undefined) ? (
        <Figure label="Expiring units (in grace period)" value={count(expiring)} />
      ) : null}
    </div>
  );
}

function Figure(props: { label: string; value: string; children?: preact.ComponentChildren }) {
  return (
    <div class="figure">
      <div class="figure-label">{props.label}</div>
      <div class="figure-value">{props.value}</div>
      {props.children}
    </div>
  );
}

/** Savings realised: licenses reclaimed since a date, each at its model's monthly price. */
function Realised() {
  const { api, profile } = useConsole();
  const [since, setSince] = useState(() => new Date(Date.now() - 90 * DAY_MS).toISOString().slice(0, 10));
  const realised = useLoad(
    async (signal) => {
      const [reclamations, models] = await Promise.all([
        api.all<Reclamation>(profilePath(profile.id, '/reclamations'), signal),
        api.all<SoftwareModel>(profilePath(profile.id, '/software-models'), signal),
      ]);
      const price = new Map(models.map((m) => [m.skuPartNumber, m]));
      const done = reclamations.filter((r) => r.status === 'reclaimed' && (r.updatedAt ?? '') >= since);
      const amount = done.reduce((s, r) => s + (price.get(r.skuPartNumber)?.listPriceMonthly ?? 0), 0);
      return { count: done.length, amount, currency: models.find((m) => m.currency)?.currency ?? 'USD' };
    },
    [profile.id, since],
  );
  const value =
    realised.value.state === 'ok'
      ? `${money(realised.value.data.amount, realised.value.data.currency)} / month`
      : realised.value.state === 'loading'
        ? '…'
        : 'unknown';
  return (
    <Figure label="Savings realised" value={value}>
      <label class="small">
        Reclaimed since{' '}
        <input type="date" value={since} onChange={(e) => setSince((e.target as HTMLInputElement).value)} />
      </label>
      {realised.value.state === 'ok' ? (
        <div class="small muted">{count(realised.value.data.count)} licenses reclaimed</div>
      ) : null}
    </Figure>
  );
}

/** The position over time, drawn after the table so the first figures never wait for it. */
function Trend() {
  const { api, profile } = useConsole();
  const series = useLoad((signal) => positionSeries(api, profile.id, 8, signal), [profile.id]);
  return (
    <section aria-labelledby="trend-title">
      <h2 id="trend-title">Position over time</h2>
      <Show value={series.value} what="the position over time">
        {(s) => (
          <LineChart
            title="Licenses purchased, assigned and in low usage, week by week"
            labels={s.points.map((p) => day(p.asOf))}
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
