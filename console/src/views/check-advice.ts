import type { ValidationCheck } from '../api/types';

/**
 * What to do about a failed validation check or its warnings: the README's table ("Connecting
 * a real tenant", step 4), matched on what the error names, most specific first.
 */
const ADVICE: readonly { check?: string; error: RegExp; advice: string }[] = [
  {
    error: /no administrator has signed in for the delegated connection/,
    advice:
      'Use the "Sign in to Microsoft" button above for this connection (an administrator of the tenant), then validate again.',
  },
  {
    error: /prvReadAuditSummary|read the audit log/i,
    advice:
      "Give the application user's security role View Audit Summary (prvReadAuditSummary) in this environment, then validate again.",
  },
  {
    check: 'auditSettings',
    error: /isauditenabled/,
    advice:
      'Power Platform admin center > Environments > this environment > Settings > Audit and logs > Audit settings: turn on Start Auditing. Until then no inactivity here can be proven.',
  },
  {
    check: 'auditSettings',
    error: /isuseraccessauditenabled/,
    advice:
      'In the same audit settings, turn on Log access: sign-ins are the activity of Team Members licenses and of rules whose basis is any activity.',
  },
  {
    error: /management application|environment discovery/i,
    advice:
      'For an application connection, a Power Platform administrator registers the app once as a Power Platform management application (New-PowerAppManagementApp -ApplicationId <client id>); or list the environment URLs instead of discovering them.',
  },
  {
    error: /application user|does not know this app/i,
    advice:
      'Add the app as an application user in this environment (Settings > Users + permissions > Application users) with a role that may read the audit log.',
  },
  {
    error: /AADSTS500011|not known in tenant/i,
    advice: "The environment URL must be an environment of the profile's tenant.",
  },
  {
    error: /AADSTS7000215|client secret/i,
    advice: "Paste a new client secret's value (not its ID) and save, then validate again.",
  },
  {
    error: /AADSTS700016|AADSTS90002|does not know application|has no tenant/i,
    advice: 'Check the tenant ID and client ID of the app registration.',
  },
  {
    error: /AADSTS65001|consent|grant the application permission|Authorization_RequestDenied/i,
    advice:
      'Grant the permission named, with admin consent (consent applies to tokens issued after it), then validate again.',
  },
  {
    error: /throttl/i,
    advice: "Microsoft's service protection slowed the calls down: validate again in a few minutes.",
  },
];

const BY_CHECK: Record<string, string> = {
  downloadSubscriptions:
    'Check the tenant ID, client ID and secret, and that the app registration has Graph User.Read.All and LicenseAssignment.Read.All (application) with admin consent.',
  calculateActivity:
    'Check the environment URL, and that the app is an application user in that environment with a security role holding prvReadAuditSummary.',
  auditSettings:
    'In the Power Platform admin center, open the environment, Settings > Audit and logs: turn on Start Auditing and Log access, and audit the Common, Sales and Customer Service tables.',
};

/** The advice for a failed check, specific to its error where the error says enough. */
export function adviceFor(check: ValidationCheck): string {
  const error = check.error ?? '';
  const match = ADVICE.find((a) => (a.check === undefined || a.check === check.name) && a.error.test(error));
  return match?.advice ?? BY_CHECK[check.name] ?? 'Correct the setting named in the error, save, and validate again.';
}

/** Tables whose own auditing is off only warn: their activity is unseen until it is turned on. */
export const UNAUDITED_TABLES_ADVICE =
  "Turn on these tables' own auditing (Power Apps: Tables > the table > Properties > Advanced options > Audit changes to its data); until then activity there is not seen.";
