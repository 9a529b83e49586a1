import { profilePath } from '../api/client';
import type { CoverageItem, Integration } from '../api/types';
import { useConsole } from '../ui/context';
import { count, dateTime, day } from '../ui/format';
import { gapReason } from '../ui/gap-reasons';
import { Show, useLoad } from '../ui/load';

/** Where the audit log can prove inactivity, and where it cannot: each environment's gaps on a timeline. */
export function CoverageView() {
  const { api, profile } = useConsole();
  const data = useLoad(
    (signal) =>
      api.get<{ items: CoverageItem[]; asOf: string }>(
        profilePath(profile.id, '/activity-coverage?limit=1000'),
        signal,
      ),
    [profile.id],
  );
  return (
    <section aria-labelledby="coverage-title">
      <h1 id="coverage-title">Activity coverage</h1>
      <p class="muted">
        Inactivity counts as proven only where the audit log covered the whole window. A gap makes low usage inside it
        unproven. Sign-ins only matter where they count (Team Members, or a rule whose basis is any activity), so a
        user-access gap breaks proof only there.
      </p>
      <Show value={data.value} what="the activity coverage">
        {({ items, asOf }) =>
          items.length === 0 ? (
            <p>No environment is connected: this profile does not download activity.</p>
          ) : (
            <>
              <p class="legend-line" aria-hidden="true">
                <span class="swatch covered" /> covered <span class="swatch gap" /> gap that breaks proof{' '}
                <span class="swatch gap user-access-audit-off" /> sign-ins not recorded
              </p>
              {items.map((item) => (
                <Environment key={item.environmentUrl} item={item} asOf={asOf ?? new Date().toISOString()} />
              ))}
            </>
          )
        }
      </Show>
      <Integrations />
    </section>
  );
}

function Environment(props: { item: CoverageItem; asOf: string }) {
  const { item } = props;
  const start = Date.parse(item.coveredFrom);
  const end = Date.parse(props.asOf);
  const span = Math.max(1, end - start);
  const at = (iso: string) => Math.min(100, Math.max(0, ((Date.parse(iso) - start) / span) * 100));
  return (
    <article class="environment" aria-label={item.environmentUrl} data-environment={item.environmentUrl}>
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
        aria-label={`Audit coverage from ${day(item.coveredFrom)} to ${day(props.asOf)}: ${count(item.gaps.length)} gaps`}
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
          >
            <title>
              {day(gap.from)} to {day(gap.to)}: {gapReason(gap.reason)}
            </title>
          </rect>
        ))}
      </svg>
      <div class="timeline-ends small muted" aria-hidden="true">
        <span>{day(item.coveredFrom)}</span>
        <span>{day(props.asOf)}</span>
      </div>
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
              <tr key={`${gap.from}-${gap.reason}`} data-gap={gap.reason}>
                <td>{dateTime(gap.from)}</td>
                <td>{dateTime(gap.to)}</td>
                <td>{gapReason(gap.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {item.unauditedTables.length > 0 ? (
        <p class="notice">
          Tables whose own auditing is off (activity there is invisible): {item.unauditedTables.join(', ')}. Turn on
          auditing for them in the environment's table settings.
        </p>
      ) : null}
    </article>
  );
}

/** Identities that wrote audit rows in people's names: what they did is never counted as those people's activity. */
function Integrations() {
  const { api, profile } = useConsole();
  const data = useLoad(
    (signal) => api.all<Integration>(profilePath(profile.id, '/integrations'), signal),
    [profile.id],
  );
  return (
    <section aria-labelledby="integrations-title">
      <h2 id="integrations-title">Integrations acting for people</h2>
      <p class="muted">
        Audit rows that an integration wrote while impersonating a user belong to the integration, not to the user: they
        never keep a license in use.
      </p>
      <Show value={data.value} what="the integrations">
        {(items) =>
          items.length === 0 ? (
            <p>No integration wrote rows in someone else's name.</p>
          ) : (
            <table class="data" aria-label="Integrations acting for people">
              <thead>
                <tr>
                  <th scope="col">Integration</th>
                  <th scope="col">Environments</th>
                  <th scope="col" class="num">
                    Rows
                  </th>
                  <th scope="col" class="num">
                    Most users in one refresh
                  </th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.systemUserId} data-integration={i.systemUserId}>
                    <th scope="row">
                      {i.name ?? i.systemUserId}
                      {i.applicationId ? <div class="ids">application {i.applicationId}</div> : null}
                    </th>
                    <td>{i.environments.join(', ')}</td>
                    <td class="num">{count(i.rows)}</td>
                    <td class="num">{count(i.usersActedFor)}</td>
                    <td>{dateTime(i.lastActivityAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}
