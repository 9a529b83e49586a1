import { profilePath } from '../api/client';
import type { PositionAnswer, PositionRow } from '../api/types';
import { useConsole } from '../ui/context';
import { count, dateTime, money } from '../ui/format';
import { Show, useLoad } from '../ui/load';
import { lapsedOf, OverviewFigures } from './overview-figures';
import { PositionTrend } from './position-trend';

/**
 * The morning's first page: the position now and what it costs (one call, shown first), what
 * can be and was saved, the units about to lapse, and the trend, each loading on its own.
 */
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
            <OverviewFigures answer={answer} />
            <PositionTable rows={answer.items} asOf={answer.asOf} />
            <ExpiringUnits rows={answer.items} />
            <PositionTrend />
          </>
        )}
      </Show>
    </section>
  );
}

function PositionTable(props: { rows: PositionRow[]; asOf: string }) {
  return (
    <table class="data" aria-label="License position per software model">
      <caption>As of {dateTime(props.asOf)}</caption>
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

/** Units that have expired or lapsed, per model: none of them is owned, and each state asks something else. */
function ExpiringUnits(props: { rows: PositionRow[] }) {
  const rows = props.rows.filter((r) => lapsedOf(r) > 0);
  return (
    <section aria-labelledby="expiring-title">
      <h2 id="expiring-title">Expiring and lapsed units</h2>
      <p class="muted">
        In the grace period: the subscription expired, the units still work and are lost unless renewed. Suspended: not
        assignable, and reactivatable until Microsoft deletes them. Locked out: cancelled, gone for good. None of them
        counts as purchased.
      </p>
      {rows.length === 0 ? (
        <p>No unit is in its grace period, suspended or locked out.</p>
      ) : (
        <table class="data" aria-label="Expiring and lapsed units per software model">
          <thead>
            <tr>
              <th scope="col">Software model</th>
              <th scope="col" class="num">
                Purchased
              </th>
              <th scope="col" class="num">
                In grace period
              </th>
              <th scope="col" class="num">
                Suspended
              </th>
              <th scope="col" class="num">
                Locked out
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.skuId} data-lapsed={row.skuPartNumber}>
                <th scope="row">
                  {row.name} <code>{row.skuPartNumber}</code>
                </th>
                <td class="num">{count(row.purchased)}</td>
                <td class="num" data-field="inGracePeriod">
                  {count(row.inGracePeriod ?? 0)}
                </td>
                <td class="num" data-field="suspended">
                  {count(row.suspended ?? 0)}
                </td>
                <td class="num" data-field="lockedOut">
                  {count(row.lockedOut ?? 0)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
