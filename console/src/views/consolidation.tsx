import { profilePath } from '../api/client';
import type { ConsolidationItem } from '../api/types';
import { useConsole } from '../ui/context';
import { count, money } from '../ui/format';
import { Show, useLoad } from '../ui/load';
import { historyLink } from './users';

/** Users holding two or more base licenses: keep the dearest as base, attach the rest. */
export function ConsolidationView() {
  const { api, profile } = useConsole();
  const data = useLoad(
    (signal) => api.all<ConsolidationItem>(profilePath(profile.id, '/consolidation'), signal),
    [profile.id],
  );
  return (
    <section aria-labelledby="consolidation-title">
      <h1 id="consolidation-title">Consolidation</h1>
      <p class="muted">
        A user with two or more base licenses needs one base: the dearest stays, and each other app becomes its attach
        license where the Licensing Guide allows that pair on the base kept. The evidence is the licenses held.
      </p>
      <Show value={data.value} what="the consolidation advice">
        {(items) => (
          <>
            <p>
              {count(items.length)} users could consolidate, saving{' '}
              <strong>{money(items.reduce((s, i) => s + i.monthlySavings, 0))}</strong> a month.
            </p>
            <table class="data" aria-label="Consolidation advice">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Base licenses held (evidence)</th>
                  <th scope="col">Suggested base</th>
                  <th scope="col">Suggested attach</th>
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
                  <tr key={item.userId} data-upn={item.userPrincipalName}>
                    <th scope="row">{historyLink(item.userPrincipalName)}</th>
                    <td data-field="baseLicenses">
                      {item.baseLicenses.join(', ')}
                      {item.notConvertible?.length ? (
                        <div class="small muted">
                          Stays a base (no attach license the Licensing Guide allows on {item.suggestedBase}):{' '}
                          {item.notConvertible.join(', ')}
                        </div>
                      ) : null}
                      {item.unpriced?.length ? (
                        <div class="small muted">
                          Without a price, left out of the saving: {item.unpriced.join(', ')}
                        </div>
                      ) : null}
                    </td>
                    <td>{item.suggestedBase}</td>
                    <td>{item.suggestedAttach.join(', ') || '—'}</td>
                    <td class="num">{money(item.currentMonthlyCost, item.currency)}</td>
                    <td class="num">{money(item.suggestedMonthlyCost, item.currency)}</td>
                    <td class="num" data-field="monthlySavings">
                      {money(item.monthlySavings, item.currency)}
                    </td>
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
