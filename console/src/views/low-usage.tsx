import { useMemo, useState } from 'preact/hooks';
import { ApiError, profilePath, type Api } from '../api/client';
import type { LowUsageItem, Reclamation, Subscription } from '../api/types';
import { useConsole } from '../ui/context';
import { count, day, money } from '../ui/format';
import { Show, useLoad } from '../ui/load';
import { gapReason } from '../ui/gap-reasons';
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
  const [whatIf, setWhatIf] = useState<number | null>(null);
  const data = useLoad((signal) => loadCandidates(api, profile.id, whatIf, signal), [profile.id, whatIf]);
  return (
    <section aria-labelledby="low-usage-title">
      <h1 id="low-usage-title">Low usage</h1>
      <p class="muted">
        Proven: every environment's audit log covered the whole window, so the inactivity is a fact. Unproven: the user
        looks inactive, but a gap in the audit log (the reason is given) means they may have worked unseen; such rows
        are shown, never counted as savings, and worth checking before any reclaim.
      </p>
      <WhatIf days={whatIf} onChange={setWhatIf} />
      <Show value={data.value} what="the low-usage candidates">
        {(answer) => <CandidateList answer={answer} reload={data.reload} />}
      </Show>
    </section>
  );
}

/** What if every rule had another threshold: the API answers from the same history and changes nothing. */
function WhatIf(props: { days: number | null; onChange: (days: number | null) => void }) {
  const [text, setText] = useState(props.days === null ? '' : String(props.days));
  const apply = () => {
    const days = Number(text);
    props.onChange(text.trim() !== '' && Number.isInteger(days) && days >= 1 && days <= 3650 ? days : null);
  };
  return (
    <form class="filters" aria-label="What if" onSubmit={(e) => (e.preventDefault(), apply())}>
      <label>
        What if every rule's threshold were (days)
        <input
          type="number"
          min={1}
          max={3650}
          step={1}
          value={text}
          placeholder="each rule's own"
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">Apply</button>
      {props.days !== null ? (
        <span class="notice" role="status">
          What if {props.days} days: the rules themselves are unchanged.
        </span>
      ) : null}
    </form>
  );
}

async function loadCandidates(
  api: Api,
  profileId: string,
  inactivityDays: number | null,
  signal: AbortSignal,
): Promise<Candidates> {
  let unprovenListed = true;
  const whatIf = inactivityDays === null ? '' : `&inactivityDays=${inactivityDays}`;
  const lowUsage = await api
    .all<LowUsageItem>(profilePath(profileId, `/low-usage?include=unproven${whatIf}`), signal)
    .catch((error) => {
      // A server without the coverage rule refuses the unknown parameter: list the proven ones.
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      unprovenListed = false;
      return api.all<LowUsageItem>(profilePath(profileId, `/low-usage${whatIf.replace('&', '?')}`), signal);
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
              <td data-evidence={item.proven === false ? `unproven:${item.unprovenReason ?? ''}` : 'proven'}>
                {item.proven === false ? `unproven: ${gapReason(item.unprovenReason)}` : 'proven'}
              </td>
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
