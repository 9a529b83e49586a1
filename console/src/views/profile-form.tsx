import { useState } from 'preact/hooks';
import type { Profile } from '../api/types';

const CLOUDS = ['public', 'usgov', 'usgovhigh', 'dod', 'china', 'custom'];

export interface FormValues {
  displayName: string;
  cloud: string;
  authorityHost: string;
  graphBaseUrl: string;
  discoveryBaseUrl: string;
  analyzeActivityFrom: string;
  downloadActivity: boolean;
  tenantId: string;
  subClientId: string;
  subSecret: string;
  subPermission: string;
  /** One URL per line. */
  environmentUrls: string;
  discoverEnvironments: boolean;
  actPermission: string;
  actClientId: string;
  actSecret: string;
}

export function valuesOf(p: Profile | null): FormValues {
  return {
    displayName: p?.displayName ?? '',
    cloud: p?.cloud ?? 'public',
    authorityHost: p?.endpoints?.authorityHost ?? '',
    graphBaseUrl: p?.endpoints?.graphBaseUrl ?? '',
    discoveryBaseUrl: p?.endpoints?.discoveryBaseUrl ?? '',
    analyzeActivityFrom: p?.analyzeActivityFrom ?? new Date(Date.now() - 180 * 864e5).toISOString().slice(0, 10),
    downloadActivity: p?.downloadActivity ?? true,
    tenantId: p?.subscriptionConnection.tenantId ?? '',
    subClientId: p?.subscriptionConnection.clientId ?? '',
    subSecret: '',
    subPermission: p?.subscriptionConnection.permissionType ?? 'application',
    environmentUrls: (
      p?.activityConnection?.environmentUrls ?? (p?.activityConnection ? [p.activityConnection.environmentUrl] : [])
    ).join('\n'),
    discoverEnvironments: p?.activityConnection?.discoverEnvironments ?? false,
    actPermission: p?.activityConnection?.permissionType ?? 'application',
    actClientId: p?.activityConnection?.clientId ?? '',
    actSecret: '',
  };
}

/** The body of POST /profiles, or of PATCH with only what changed (a blank secret keeps the stored one). */
export function bodyOf(v: FormValues, before: Profile | null): Record<string, unknown> {
  const endpoints =
    v.cloud === 'custom'
      ? {
          authorityHost: v.authorityHost,
          graphBaseUrl: v.graphBaseUrl,
          ...(v.discoveryBaseUrl.trim() ? { discoveryBaseUrl: v.discoveryBaseUrl.trim() } : {}),
        }
      : undefined;
  if (!before) {
    return {
      displayName: v.displayName,
      cloud: v.cloud,
      ...(endpoints ? { endpoints } : {}),
      analyzeActivityFrom: v.analyzeActivityFrom,
      downloadActivity: v.downloadActivity,
      subscriptionConnection: {
        tenantId: v.tenantId,
        clientId: v.subClientId,
        clientSecret: v.subSecret,
        permissionType: v.subPermission,
      },
      ...(v.downloadActivity ? { activityConnection: activityOf(v) } : {}),
    };
  }
  const old = valuesOf(before);
  const patch: Record<string, unknown> = {};
  for (const key of ['displayName', 'cloud', 'analyzeActivityFrom', 'downloadActivity'] as const) {
    if (v[key] !== old[key]) patch[key] = v[key];
  }
  if (
    endpoints &&
    (v.authorityHost !== old.authorityHost ||
      v.graphBaseUrl !== old.graphBaseUrl ||
      v.discoveryBaseUrl !== old.discoveryBaseUrl)
  )
    patch.endpoints = endpoints;
  const sub: Record<string, string> = {};
  if (v.tenantId !== old.tenantId) sub.tenantId = v.tenantId;
  if (v.subClientId !== old.subClientId) sub.clientId = v.subClientId;
  if (v.subPermission !== old.subPermission) sub.permissionType = v.subPermission;
  if (v.subSecret) sub.clientSecret = v.subSecret;
  if (Object.keys(sub).length) patch.subscriptionConnection = sub;
  if (v.downloadActivity) {
    if (!before.activityConnection) patch.activityConnection = activityOf(v);
    else {
      const act: Record<string, unknown> = {};
      const urls = urlsOf(v.environmentUrls);
      if (urls.join(' ') !== urlsOf(old.environmentUrls).join(' ')) Object.assign(act, environmentsOf(urls));
      if (v.discoverEnvironments !== old.discoverEnvironments) act.discoverEnvironments = v.discoverEnvironments;
      if (v.actPermission !== old.actPermission) act.permissionType = v.actPermission;
      if (v.actClientId !== old.actClientId) act.clientId = v.actClientId;
      if (v.actSecret) act.clientSecret = v.actSecret;
      if (Object.keys(act).length) patch.activityConnection = act;
    }
  }
  return patch;
}

/** The URLs typed, one per line (commas and spaces also separate them). */
const urlsOf = (text: string): string[] => text.split(/[\s,]+/).filter((url) => url !== '');

/** One environment as `environmentUrl`, several as `environmentUrls` (API.md, "Several environments"). */
const environmentsOf = (urls: string[]) =>
  urls.length === 1 ? { environmentUrl: urls[0] } : { environmentUrls: urls };

const activityOf = (v: FormValues) => ({
  ...environmentsOf(urlsOf(v.environmentUrls)),
  ...(v.discoverEnvironments ? { discoverEnvironments: true } : {}),
  permissionType: v.actPermission,
  clientId: v.actClientId,
  clientSecret: v.actSecret,
});

/** Every field labelled; an auditor gets the same form, disabled, and no button. */
export function ProfileForm(props: {
  profile: Profile | null;
  canCommand: boolean;
  busy: boolean;
  onSubmit: (values: FormValues) => void;
}) {
  const [v, setV] = useState<FormValues>(() => valuesOf(props.profile));
  const editing = props.profile !== null;
  const set = (key: keyof FormValues) => (e: Event) => {
    const target = e.target as HTMLInputElement | HTMLTextAreaElement;
    setV({
      ...v,
      [key]: target instanceof HTMLInputElement && target.type === 'checkbox' ? target.checked : target.value,
    });
  };
  const text = (
    key: keyof FormValues,
    label: string,
    type: 'text' | 'url' | 'date' | 'password' = 'text',
    required = true,
  ) => (
    <label>
      {label}
      {/* Preact types each input type separately; these four share every attribute used here. */}
      <input
        type={type as 'text'}
        value={v[key] as string}
        onInput={set(key)}
        required={required}
        placeholder={type === 'password' && editing ? 'unchanged' : undefined}
        autocomplete={type === 'password' ? 'new-password' : 'off'}
      />
    </label>
  );
  const permission = (key: 'subPermission' | 'actPermission') => (
    <label>
      Permission type
      <select value={v[key]} onChange={set(key)}>
        <option value="application">application</option>
        <option value="delegated">delegated</option>
      </select>
    </label>
  );
  return (
    <form class="profile-form" onSubmit={(e) => (e.preventDefault(), props.onSubmit(v))}>
      <fieldset disabled={!props.canCommand || props.busy}>
        <legend>{editing ? 'Settings' : 'New profile'}</legend>
        {text('displayName', 'Display name')}
        <label>
          Cloud
          <select value={v.cloud} onChange={set('cloud')}>
            {CLOUDS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        {v.cloud === 'custom' ? (
          <>
            {text('authorityHost', 'Authority host', 'url')}
            {text('graphBaseUrl', 'Graph base URL', 'url')}
            {text('discoveryBaseUrl', 'Discovery base URL (to discover environments)', 'url', false)}
          </>
        ) : null}
        {text('analyzeActivityFrom', 'Analyze activity from', 'date')}
        <fieldset>
          <legend>Subscriptions (Microsoft Graph)</legend>
          {text('tenantId', 'Tenant ID')}
          {text('subClientId', 'Client ID')}
          {text('subSecret', 'Client secret', 'password', !editing)}
          {permission('subPermission')}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={v.downloadActivity} onChange={set('downloadActivity')} />
          Download activity from Dynamics 365
        </label>
        {v.downloadActivity ? (
          <fieldset>
            <legend>Activity (Dynamics 365 audit log)</legend>
            <label>
              Environment URLs (one per line)
              <textarea
                rows={Math.min(8, Math.max(2, v.environmentUrls.split('\n').length + 1))}
                value={v.environmentUrls}
                onInput={set('environmentUrls')}
                required
                placeholder="https://contoso.crm.dynamics.com"
                spellcheck={false}
              />
            </label>
            <label class="check">
              <input type="checkbox" checked={v.discoverEnvironments} onChange={set('discoverEnvironments')} />
              Also discover every environment this connection can read (at each validation and refresh)
            </label>
            {permission('actPermission')}
            {text('actClientId', 'Client ID')}
            {text('actSecret', 'Client secret', 'password', !(editing && props.profile?.activityConnection))}
          </fieldset>
        ) : null}
        {props.canCommand ? <button type="submit">{editing ? 'Save changes' : 'Create profile'}</button> : null}
      </fieldset>
    </form>
  );
}
