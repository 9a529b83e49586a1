import { profilePath } from '../api/client';
import type { CoverageItem } from '../api/types';
import { useConsole } from '../ui/context';
import { day } from '../ui/format';
import { Show, useLoad } from '../ui/load';

const REASONS: Record<string, string> = {
  'audit-off': 'auditing was off',
  'user-access-audit-off': 'user-access auditing was off (sign-ins not recorded)',
  'log-deleted': 'audit log deleted',
  'not-connected': 'not connected',
};

/** Where the audit log can prove inactivity, and where it cannot: each environment's gaps on a timeline. */
export function CoverageView() {
  const { api, profile } = useConsole();
  const data = useLoad(
    (signal) => api.all<CoverageItem>(profilePath(profile.id, '/activity-coverage'), signal),
    [profile.id],
  );
  return (
    <section aria-labelledby="coverage-title">
      <h1 id="coverage-title">Activity coverage</h1>
      <p class="muted">
        Inactivity counts as proven only where the audit log covered the whole window. A gap makes low usage inside it
        unproven.
      </p>
      <Show value={data.value} what="the activity coverage">
        {(items) =>
          items.length === 0 ? (
            <p>No environment is connected: this profile does not download activity.</p>
          ) : (
            items.map((item) => <Environment key={item.environmentUrl} item={item} />)
          )
        }
      </Show>
    </section>
  );
}

function Environment(props: { item: CoverageItem }) {
  const { item } = props;
  const start = Date.parse(item.coveredFrom);
  const end = Date.now();
  const span = Math.max(1, end - start);
  const at = (iso: string) => Math.min(100, Math.max(0, ((Date.parse(iso) - start) / span) * 100));
  return (
    <article class="environment" aria-label={item.environmentUrl}>
      <h2>{item.environmentUrl}</h2>
      <ul class="flags">
        <li>Auditing: {item.auditEnabled ? 'on' : 'off'}</li>
        <li>User-access auditing: {item.userAccessAuditEnabled ? 'on' : 'off'}</li>
        <li>Covered from {day(item.coveredFrom)}</li>
      </ul>
      <svg
        class="timeline"
        viewBox="0 0 100 6"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Audit coverage from ${day(item.coveredFrom)} to today: ${item.gaps.length} gaps`}
      >
        <rect class="covered" x="0" y="0" width="100" height="6" />
        {item.gaps.map((gap) => (
          <rect
            key={`${gap.from}-${gap.reason}`}
            class={`gap ${gap.reason}`}
            x={at(gap.from)}
            y="0"
            width={Math.max(0.5, at(gap.to) - at(gap.from))}
            height="6"
          />
        ))}
      </svg>
      {item.gaps.length === 0 ? (
        <p>No gaps: every day since {day(item.coveredFrom)} is covered.</p>
      ) : (
        <table class="data" aria-label={`Gaps in ${item.environmentUrl}`}>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {item.gaps.map((gap) => (
              <tr key={`${gap.from}-${gap.reason}`}>
                <td>{day(gap.from)}</td>
                <td>{day(gap.to)}</td>
                <td>{REASONS[gap.reason] ?? gap.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {item.unauditedTables.length > 0 ? (
        <p class="notice">
          Tables whose own auditing is off (their activity is not seen): {item.unauditedTables.join(', ')}
        </p>
      ) : null}
    </article>
  );
}
