import { useState } from 'preact/hooks';
import { profilePath } from '../api/client';
import type { ReclaimAnswer, Reclamation } from '../api/types';
import { Confirm } from '../ui/confirm';
import { useConsole } from '../ui/context';
import type { Candidate } from './low-usage';

/**
 * A candidate's next step. Admins: dry run (says in words what would happen), reclaim
 * (after a confirmation), and the keep workflow (keep, approve, reject). An auditor sees
 * where a reclamation stands and no control at all.
 */
export function ReclaimActions(props: { item: Candidate; describedBy: string; onChanged: (outcome: string) => void }) {
  const { api, profile, canCommand } = useConsole();
  const { item } = props;
  const [outcome, setOutcome] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const workflow = item.reclamation && OPEN.has(item.reclamation.status) ? item.reclamation : null;

  const act = async (run: () => Promise<string>) => {
    setBusy(true);
    try {
      setOutcome({ text: await run(), tone: 'ok' });
    } catch (error) {
      setOutcome({ text: (error as Error).message, tone: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const reclaim = (dryRun: boolean) =>
    act(async () => {
      const answer = await api.post<ReclaimAnswer>(profilePath(profile.id, '/reclamations'), {
        userId: item.userId,
        skuPartNumber: item.skuPartNumber,
        dryRun,
        reason: dryRun ? undefined : 'low usage, reclaimed from the console',
      });
      const text = describe(answer, item);
      if (!dryRun) props.onChanged(text);
      return text;
    });
  const decide = (step: 'keep' | 'approve' | 'reject', reclamation: Reclamation) =>
    act(async () => {
      const answer = await api.post<Reclamation>(
        profilePath(profile.id, `/reclamations/${reclamation.id}/${step}`),
        {},
      );
      const text = `${item.userPrincipalName}, ${item.skuPartNumber}: now ${answer.status} (${answer.detail})`;
      props.onChanged(text);
      return text;
    });

  return (
    <div class="row-actions">
      {workflow ? <span class="badge">{workflow.status}</span> : null}
      {canCommand ? (
        <>
          <button type="button" disabled={busy} aria-describedby={props.describedBy} onClick={() => reclaim(true)}>
            Dry run
          </button>
          <button
            type="button"
            class="danger"
            disabled={busy}
            aria-describedby={props.describedBy}
            onClick={() => setConfirming(true)}
          >
            Reclaim
          </button>
          {workflow?.status === 'awaiting-user' ? (
            <button
              type="button"
              disabled={busy}
              aria-describedby={props.describedBy}
              onClick={() => decide('keep', workflow)}
            >
              Keep
            </button>
          ) : null}
          {workflow?.status === 'awaiting-approval' ? (
            <>
              <button
                type="button"
                disabled={busy}
                aria-describedby={props.describedBy}
                onClick={() => decide('approve', workflow)}
              >
                Approve keep
              </button>
              <button
                type="button"
                disabled={busy}
                aria-describedby={props.describedBy}
                onClick={() => decide('reject', workflow)}
              >
                Reject keep
              </button>
            </>
          ) : null}
        </>
      ) : null}
      {outcome ? (
        <p class={outcome.tone === 'error' ? 'error' : 'outcome'} role="status">
          {outcome.text}
        </p>
      ) : null}
      {confirming ? (
        <Confirm
          title="Reclaim this license?"
          action="Reclaim license"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void reclaim(false);
          }}
        >
          <p>
            Remove <strong>{item.skuPartNumber}</strong> from <strong>{item.userPrincipalName}</strong> through
            Microsoft Graph? The user loses the license at once; it can be assigned again later.
          </p>
        </Confirm>
      ) : null}
    </div>
  );
}

const OPEN = new Set(['open', 'awaiting-user', 'awaiting-approval', 'requested']);

function describe(answer: ReclaimAnswer, item: Candidate): string {
  switch (answer.status) {
    case 'dry-run':
      return answer.wouldBe === 'blocked'
        ? `Dry run: ${answer.detail}`
        : `Dry run: would reclaim ${item.skuPartNumber} from ${item.userPrincipalName}; nothing was changed.`;
    case 'reclaimed':
      return `Reclaimed: ${answer.detail}`;
    case 'blocked':
      return `Blocked: ${answer.detail}`;
    case 'failed':
      return `Failed: ${answer.detail}`;
  }
}
