import { useState } from 'preact/hooks';
import { profilePath } from '../api/client';
import { download } from '../api/download';
import { useConsole } from '../ui/context';
import { count } from '../ui/format';

const DATASETS = [
  {
    name: 'license-position',
    title: 'License position',
    about: 'Purchased, assigned, active and cost per software model.',
  },
  { name: 'subscriptions', title: 'Subscriptions', about: 'Every current license assignment, with its last activity.' },
  { name: 'low-usage', title: 'Low usage', about: 'Proven low-usage subscriptions, most overdue first.' },
  {
    name: 'consolidation',
    title: 'Consolidation',
    about: 'Users with two or more base licenses: the base to keep, the attach licenses, the saving.',
  },
  {
    name: 'downgrade-advice',
    title: 'Downgrade advice',
    about: 'Full licenses used only as Team Members allows, with the window looked at and the saving.',
  },
] as const;

/**
 * Compliance exports as CSV (with a byte-order mark, so Excel reads names right). The file is
 * fetched with the key in a header and handed to the browser: the key never goes into a link.
 */
export function ExportsView() {
  const { api, profile } = useConsole();
  const [asOf, setAsOf] = useState('');
  const [status, setStatus] = useState<Record<string, { text: string; tone: 'ok' | 'error' }>>({});

  const get = async (dataset: string) => {
    setStatus((s) => ({ ...s, [dataset]: { text: 'Preparing…', tone: 'ok' } }));
    const at = asOf ? `&asOf=${new Date(`${asOf}T23:59:59.999Z`).toISOString()}` : '';
    try {
      const file = await download(
        api,
        profilePath(profile.id, `/exports/${dataset}?format=csv${at}`),
        `${dataset}.csv`,
      );
      setStatus((s) => ({
        ...s,
        [dataset]: { text: `Downloaded ${file.name} (${count(file.bytes)} bytes)`, tone: 'ok' },
      }));
    } catch (error) {
      setStatus((s) => ({ ...s, [dataset]: { text: (error as Error).message, tone: 'error' } }));
    }
  };

  return (
    <section aria-labelledby="exports-title">
      <h1 id="exports-title">Exports</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          As of the end of (empty: now)
          <input type="date" value={asOf} onChange={(e) => setAsOf((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      <ul class="cards">
        {DATASETS.map((d) => (
          <li key={d.name} data-dataset={d.name}>
            <h2 id={`export-${d.name}`}>{d.title}</h2>
            <p class="muted" id={`export-${d.name}-about`}>
              {d.about}
            </p>
            <button
              type="button"
              aria-describedby={`export-${d.name} export-${d.name}-about`}
              onClick={() => get(d.name)}
            >
              Download CSV
            </button>
            {status[d.name] ? (
              <p class={status[d.name].tone === 'error' ? 'error' : 'outcome'} role="status">
                {status[d.name].text}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
