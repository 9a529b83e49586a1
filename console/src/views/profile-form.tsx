import { useState } from 'preact/hooks';
import type { Profile } from '../api/types';

const CLOUDS = ['public', 'usgov', 'usgovhigh', 'dod', 'china', 'custom'];

export interface FormValues {
  displayName: string;
  cloud: string;
  authorityHost: string;
  graphBaseUrl: string;
  analyzeActivityFrom: string;
  downloadActivity: boolean;
  tenantId: string;
  subClientId: string;
  subSecret: string;
  subPermission: string;
  environmentUrl: string;
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
    analyzeActivityFrom: p?.analyzeActivityFrom ?? new Date(Date.now() - 180 * 864e5).toISOString().slice(0, 10),
    downloadActivity: p?.downloadActivity ?? true,
    tenantId: p?.subscriptionConnection.tenantId ?? '',
    subClientId: p?.subscriptionConnection.clientId ?? '',
    subSecret: '',
    subPermission: p?.subscriptionConnection.permissionType ?? 'application',
    environmentUrl: p?.activityConnection?.environmentUrl ?? '',
    actPermission: p?.activityConnection?.permissionType ?? 'application',
    actClientId: p?.activityConnection?.clientId ?? '',
    actSecret: '',
  };
}

/** The body of POST /profiles, or of PATCH with only what changed (a blank secret keeps the stored one). */
export function bodyOf(v: FormValues, before: Profile | null): Record<string, unknown> {
  const endpoints = v.cloud === 'custom' ? { authorityHost: v.authorityHost, graphBaseUrl: v.graphBaseUrl } : undefined;
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
  if (endpoints && (v.authorityHost !== old.authorityHost || v.graphBaseUrl !== old.graphBaseUrl))
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
      const act: Record<string, string> = {};
      if (v.environmentUrl !== old.environmentUrl) act.environmentUrl = v.environmentUrl;
      if (v.actPermission !== old.actPermission) act.permissionType = v.actPermission;
      if (v.actClientId !== old.actClientId) act.clientId = v.actClientId;
      if (v.actSecret) act.clientSecret = v.actSecret;
      if (Object.keys(act).length) patch.activityConnection = act;
    }
  }
  return patch;
}

const activityOf = (v: FormValues) => ({
  environmentUrl: v.environmentUrl,
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
    const target = e.target as HTMLInputElement;
    setV({ ...v, [key]: target.type === 'checkbox' ? target.checked : target.value });
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
            {text('environmentUrl', 'Environment URL', 'url')}
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
