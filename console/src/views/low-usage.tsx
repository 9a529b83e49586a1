import { useMemo, useState } from 'preact/hooks';
import { ApiError, profilePath, type Api } from '../api/client';
import type { LowUsageItem, Reclamation, Subscription } from '../api/types';
import { useConsole } from '../ui/context';
import { count, day, money } from '../ui/format';
import { Show, useLoad } from '../ui/load';
import { ReclaimActions } from './reclaim-actions';

export interface Candidate extends LowUsageItem {
  groupIds: string[];
  assignedVia: string | null;
  reclamation: Reclamation | null;
}

interface Candidates {
  items: Candidate[];
  /** False when this server lists proven low usage only (no `?include=unproven`). */
  unprovenListed: boolean;
}

const PAGE = 200;

/** Who holds a license they do not use: proven and unproven, by SKU and group, each with its next step. */
export function LowUsageView() {
  const { api, profile } = useConsole();
  const data = useLoad((signal) => loadCandidates(api, profile.id, signal), [profile.id]);
  return (
    <section aria-labelledby="low-usage-title">
      <h1 id="low-usage-title">Low usage</h1>
      <Show value={data.value} what="the low-usage candidates">
        {(answer) => <CandidateList answer={answer} reload={data.reload} />}
      </Show>
    </section>
  );
}

async function loadCandidates(api: Api, profileId: string, signal: AbortSignal): Promise<Candidates> {
  let unprovenListed = true;
  const lowUsage = await api
    .all<LowUsageItem>(profilePath(profileId, '/low-usage?include=unproven'), signal)
    .catch((error) => {
      // A server without the coverage rule refuses the unknown parameter: list the proven ones.
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      unprovenListed = false;
      return api.all<LowUsageItem>(profilePath(profileId, '/low-usage'), signal);
    });
  // Only the SKUs that have candidates: in a large tenant the others (Power Apps, Flow) dwarf them.
  const skus = [...new Set(lowUsage.map((i) => i.skuPartNumber))];
  const [subscriptions, reclamations] = await Promise.all([
    Promise.all(
      skus.map((sku) =>
        api.all<Subscription>(
          profilePath(profileId, `/subscriptions?skuPartNumber=${encodeURIComponent(sku)}`),
          signal,
        ),
      ),
    ).then((lists) => lists.flat()),
    api.all<Reclamation>(profilePath(profileId, '/reclamations'), signal),
  ]);
  const key = (userId: string, sku: string) => `${userId.toLowerCase()}|${sku}`;
  const held = new Map(subscriptions.map((s) => [key(s.userId, s.skuPartNumber), s]));
  // Reclamations come newest first: the first seen per subscription is the current one.
  const latest = new Map<string, Reclamation>();
  for (const r of reclamations)
    if (!latest.has(key(r.userId, r.skuPartNumber))) latest.set(key(r.userId, r.skuPartNumber), r);
  const items = lowUsage.map((item) => {
    const subscription = held.get(key(item.userId, item.skuPartNumber));
    return {
      ...item,
      groupIds: subscription?.groupIds ?? [],
      assignedVia: subscription?.assignedVia ?? null,
      reclamation: latest.get(key(item.userId, item.skuPartNumber)) ?? null,
    };
  });
  return { items, unprovenListed };
}

function CandidateList(props: { answer: Candidates; reload: () => void }) {
  const { items, unprovenListed } = props.answer;
  // A real reclaim or decision takes the row away: its outcome is said here, above the list.
  const [changed, setChanged] = useState<string | null>(null);
  const onChanged = (text: string) => {
    setChanged(text);
    props.reload();
  };
  const [sku, setSku] = useState('');
  const [group, setGroup] = useState('');
  const [evidence, setEvidence] = useState<'all' | 'proven' | 'unproven'>('all');
  const [shown, setShown] = useState(PAGE);
  const skus = useMemo(() => [...new Set(items.map((i) => i.skuPartNumber))].sort(), [items]);
  const groups = useMemo(() => [...new Set(items.flatMap((i) => i.groupIds))].sort(), [items]);
  const visible = items.filter(
    (i) =>
      (!sku || i.skuPartNumber === sku) &&
      (!group || (group === '(direct)' ? i.groupIds.length === 0 : i.groupIds.includes(group))) &&
      (evidence === 'all' || (evidence === 'proven') === (i.proven !== false)),
  );
  const total = visible.reduce((s, i) => s + (i.proven === false ? 0 : (i.monthlyCost ?? 0)), 0);
  return (
    <>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the candidates">
        <label>
          SKU
          <select value={sku} onChange={(e) => setSku((e.target as HTMLSelectElement).value)}>
            <option value="">All SKUs</option>
            {skus.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Group
          <select value={group} onChange={(e) => setGroup((e.target as HTMLSelectElement).value)}>
            <option value="">Any assignment</option>
            <option value="(direct)">Direct only (no group)</option>
            {groups.map((g) => (
              <option key={g}>{g}</option>
            ))}
          </select>
        </label>
        <label>
          Evidence
          <select
            value={evidence}
            onChange={(e) => setEvidence((e.target as HTMLSelectElement).value as typeof evidence)}
          >
            <option value="all">Proven and unproven</option>
            <option value="proven">Proven only</option>
            <option value="unproven">Unproven only</option>
          </select>
        </label>
      </form>
      {changed ? (
        <p class="outcome" role="status" data-outcome="changed">
          {changed}
        </p>
      ) : null}
      <p>
        {count(visible.length)} of {count(items.length)} candidates; proven ones cost {money(total)} a month.
        {unprovenListed ? '' : ' This server lists proven low usage only.'}
      </p>
      <table class="data" aria-label="Low-usage candidates">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">SKU</th>
            <th scope="col">Last activity</th>
            <th scope="col" class="num">
              Days inactive (rule)
            </th>
            <th scope="col">Evidence</th>
            <th scope="col">Assigned via</th>
            <th scope="col" class="num">
              Cost / month
            </th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, shown).map((item, index) => (
            <tr key={`${item.userId}|${item.skuPartNumber}`} data-upn={item.userPrincipalName}>
              <th scope="row" id={`candidate-${index}`}>
                {item.userPrincipalName}
              </th>
              <td>
                <code>{item.skuPartNumber}</code>
              </td>
              <td>{item.lastActivityAt ? day(item.lastActivityAt) : 'never'}</td>
              <td class="num">
                {count(item.daysInactive)} ({count(item.thresholdDays)})
              </td>
              <td>{item.proven === false ? `unproven: ${item.unprovenReason ?? 'audit gap'}` : 'proven'}</td>
              <td>
                {item.assignedVia ?? '—'}
                {item.groupIds.length > 0 ? <div class="ids">{item.groupIds.join(', ')}</div> : null}
              </td>
              <td class="num">{money(item.monthlyCost, item.currency)}</td>
              <td>
                <ReclaimActions item={item} describedBy={`candidate-${index}`} onChanged={onChanged} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {visible.length > shown ? (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show {count(Math.min(PAGE, visible.length - shown))} more
        </button>
      ) : null}
    </>
  );
}
