import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { profilePath } from '../api/client';
import type { Amounts, PositionAnswer, PositionRow, SavingsAnswer } from '../api/types';
import { useConsole } from '../ui/context';
import { count, day, money, plural } from '../ui/format';
import { Show, useLoad } from '../ui/load';

const DAY_MS = 24 * 3600 * 1000;

/** Units that are not owned any more: in the renewal grace period, suspended or locked out. */
export const lapsedOf = (row: PositionRow) => (row.inGracePeriod ?? 0) + (row.suspended ?? 0) + (row.lockedOut ?? 0);

/** An amount per month in its main currency, and those in other currencies beside it (never added). */
export function perMonth(a: Amounts): string {
  const others = Object.entries(a.otherCurrencies).map(([code, amount]) => money(amount, code));
  return `${money(a.monthlySavings, a.currency ?? 'USD')}${others.length ? ` + ${others.join(' + ')}` : ''}`;
}

/**
 * Money per month: what the licenses cost (from the position already on the page), what the
 * advice would save and what reclaims saved (one call, `/savings`), and the units lapsing.
 */
export function OverviewFigures(props: { answer: PositionAnswer }) {
  const { answer } = props;
  const currency = answer.totals?.currency ?? 'USD';
  const cost = answer.totals?.monthlyCost ?? answer.items.reduce((s, r) => s + (r.monthlyCost ?? 0), 0);
  const sum = (pick: (r: PositionAnswer['items'][number]) => number | undefined) =>
    answer.items.reduce((s, r) => s + (pick(r) ?? 0), 0);
  return (
    <div class="figures">
      <Figure label="Cost per month" field="cost" value={money(cost, currency)}>
        {answer.totals?.purchasedMonthlyCost !== undefined ? (
          <div class="small muted">Units purchased: {money(answer.totals.purchasedMonthlyCost, currency)}</div>
        ) : null}
      </Figure>
      <SavingsFigures />
      <Figure
        label="Expiring and lapsed units"
        field="lapsed"
        value={count(answer.items.reduce((s, r) => s + lapsedOf(r), 0))}
      >
        <dl class="breakdown">
          <dt>In grace period</dt>
          <dd data-field="inGracePeriod">{count(sum((r) => r.inGracePeriod))}</dd>
          <dt>Suspended</dt>
          <dd data-field="suspended">{count(sum((r) => r.suspended))}</dd>
          <dt>Locked out</dt>
          <dd data-field="lockedOut">{count(sum((r) => r.lockedOut))}</dd>
        </dl>
      </Figure>
    </div>
  );
}

function Figure(props: { label: string; field: string; value: string; children?: ComponentChildren }) {
  return (
    <div class="figure" data-figure={props.field}>
      <div class="figure-label">{props.label}</div>
      <div class="figure-value">{props.value}</div>
      {props.children}
    </div>
  );
}

function SavingsFigures() {
  const { api, profile } = useConsole();
  const [since, setSince] = useState(() => new Date(Date.now() - 90 * DAY_MS).toISOString().slice(0, 10));
  const query = since ? `?since=${since}T00:00:00.000Z` : '';
  const savings = useLoad(
    (signal) => api.get<SavingsAnswer>(profilePath(profile.id, `/savings${query}`), signal),
    [profile.id, query],
  );
  const found = savings.value.state === 'ok' ? savings.value.data.found : null;
  const realised = savings.value.state === 'ok' ? savings.value.data.realised : null;
  return (
    <>
      <Figure label="Savings found per month" field="found" value={found ? perMonth(found) : '…'}>
        <Show value={savings.value} what="the savings">
          {({ found: f }) => (
            <dl class="breakdown">
              <dt>Low usage, proven ({plural(f.lowUsage.subscriptions, 'license')})</dt>
              <dd data-field="lowUsage">{perMonth(f.lowUsage)}</dd>
              <dt>Consolidation ({plural(f.consolidation.users, 'user')})</dt>
              <dd data-field="consolidation">{perMonth(f.consolidation)}</dd>
              <dt>Downgrade ({plural(f.downgrade.subscriptions, 'license')})</dt>
              <dd data-field="downgrade">{perMonth(f.downgrade)}</dd>
              {f.overlap.users > 0 ? (
                <>
                  <dt>Not counted twice ({plural(f.overlap.users, 'user')} also in low usage or downgrade)</dt>
                  <dd data-field="overlap">−{perMonth(f.overlap)}</dd>
                </>
              ) : null}
            </dl>
          )}
        </Show>
      </Figure>
      <Figure label="Savings realised per month" field="realised" value={realised ? perMonth(realised) : '…'}>
        <label class="small">
          Reclaimed since{' '}
          <input type="date" value={since} onChange={(e) => setSince((e.target as HTMLInputElement).value)} />
        </label>
        {realised ? (
          <div class="small muted" data-field="reclaimed">
            {plural(realised.reclaimed, 'license')} reclaimed
            {realised.since ? ` since ${day(realised.since)}` : ''}
            {realised.reassigned > 0
              ? `; ${count(realised.reassigned)} assigned again to the same user (not counted)`
              : ''}
            {realised.unpriced > 0 ? `; ${count(realised.unpriced)} without a price` : ''}
          </div>
        ) : null}
      </Figure>
    </>
  );
}
