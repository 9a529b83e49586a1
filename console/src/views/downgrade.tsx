import { profilePath } from '../api/client';
import type { DowngradeItem } from '../api/types';
import { useConsole } from '../ui/context';
import { count, dateTime, day, money } from '../ui/format';
import { Show, useLoad } from '../ui/load';
import { historyLink } from './users';

/** Full licenses whose users, in the proven window, did only what Team Members allows. */
export function DowngradeView() {
  const { api, profile } = useConsole();
  const data = useLoad(
    (signal) => api.all<DowngradeItem>(profilePath(profile.id, '/downgrade-advice'), signal),
    [profile.id],
  );
  return (
    <section aria-labelledby="downgrade-title">
      <h1 id="downgrade-title">Downgrade</h1>
      <p class="muted">
        Users of a full Dynamics 365 license whose every audited action in the rule's window is one Team Members allows.
      </p>
      <Show value={data.value} what="the downgrade advice">
        {(items) => (
          <>
            <p>
              {count(items.length)} users could move to a cheaper license, saving{' '}
              <strong>{money(items.reduce((s, i) => s + (i.monthlySavings ?? 0), 0))}</strong> a month.
            </p>
            <table class="data" aria-label="Downgrade advice">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">License</th>
                  <th scope="col">Suggested</th>
                  <th scope="col">Why (evidence)</th>
                  <th scope="col" class="num">
                    Now / month
                  </th>
                  <th scope="col" class="num">
                    Suggested / month
                  </th>
                  <th scope="col" class="num">
                    Saving / month
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={`${item.userId}|${item.skuPartNumber}`} data-upn={item.userPrincipalName}>
                    <th scope="row">{historyLink(item.userPrincipalName)}</th>
                    <td>{item.skuPartNumber}</td>
                    <td>{item.suggestedSkuPartNumber}</td>
                    <td data-field="evidence">
                      {item.reason}
                      {item.evidence ? (
                        <dl class="evidence small">
                          <dt>Window looked at (audited throughout)</dt>
                          <dd>
                            {day(item.evidence.windowFrom)} to {day(item.evidence.windowTo)}
                          </dd>
                          <dt>Last activity in it</dt>
                          <dd data-field="lastActivityAt">{dateTime(item.evidence.lastActivityAt)}</dd>
                          <dt>Last use beyond Team Members</dt>
                          <dd data-field="lastBeyondTeamMembersAt">
                            {item.evidence.lastBeyondTeamMembersAt
                              ? dateTime(item.evidence.lastBeyondTeamMembersAt)
                              : 'never seen'}
                          </dd>
                        </dl>
                      ) : null}
                    </td>
                    <td class="num">{money(item.currentMonthlyCost, item.currency)}</td>
                    <td class="num">{money(item.suggestedMonthlyCost, item.currency)}</td>
                    <td class="num">{money(item.monthlySavings, item.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}
