import { AuthError, ClientConfigurationError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { fromMsalError } from '../../src/connectors/entra-errors';
import { failureFromResponse } from '../../src/connectors/service-errors';
import { UpstreamError } from '../../src/connectors';

const app = {
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: 'c1',
  clientSecret: () => 'shh',
};

describe('upstream error mapping', () => {
  it('says which Graph permissions to grant on a 403', () => {
    const body = JSON.stringify({
      error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
    });
    const error = failureFromResponse('graph', 403, body, {
      action: 'list users',
      permissionFix: 'grant the application permissions User.Read.All and LicenseAssignment.Read.All and admin consent',
    });
    expect(error).toMatchObject({
      service: 'graph',
      cause: 'permission',
      microsoftCode: 'Authorization_RequestDenied',
      status: 403,
      code: 'graph-permission',
      kind: 'upstream',
    });
    expect(error.message).toBe(
      'Graph denied access (Authorization_RequestDenied) to list users: grant the application permissions User.Read.All and LicenseAssignment.Read.All and admin consent. Graph said: Insufficient privileges to complete the operation.',
    );
  });

  it('names prvReadAuditSummary on a Dataverse 403 for the audit log', () => {
    const body = JSON.stringify({
      error: { code: '0x80040220', message: 'Principal user is missing prvReadAuditSummary privilege.' },
    });
    const error = failureFromResponse('dataverse', 403, body, {
      action: 'read the audit log',
      permissionFix:
        'the application user of this app in the environment needs a security role with prvReadAuditSummary',
    });
    expect(error).toMatchObject({ cause: 'permission', microsoftCode: '0x80040220' });
    expect(error.message).toContain('prvReadAuditSummary');
  });

  it('classifies statuses', () => {
    const purpose = { action: 'x', permissionFix: 'y' };
    expect(failureFromResponse('graph', 404, '', purpose).cause).toBe('not-found');
    expect(failureFromResponse('graph', 429, '', purpose)).toMatchObject({ cause: 'throttled', kind: 'unavailable' });
    expect(failureFromResponse('dataverse', 502, '<html>', purpose)).toMatchObject({
      cause: 'unavailable',
      microsoftCode: null,
    });
    expect(
      failureFromResponse('graph', 400, '{"error":{"code":"Request_BadRequest","message":"m"}}', purpose).cause,
    ).toBe('rejected');
  });

  it('maps MSAL server errors by AADSTS number, with the fix and without trace noise', () => {
    const error = fromMsalError(
      new ServerError(
        'invalid_client',
        'corr',
        'Error(s): 7000215 - Timestamp: 2026-01-01 00:00:00Z - Description: AADSTS7000215: Invalid client secret provided. Trace ID: t Correlation ID: c Timestamp: 2026 - Correlation ID: c - Trace ID: t',
        undefined,
        '7000215',
        401,
      ),
      app,
      'client-credentials',
      'https://graph.microsoft.com',
    );
    expect(error).toMatchObject({
      service: 'entra',
      cause: 'authentication',
      microsoftCode: 'AADSTS7000215',
      status: 401,
    });
    expect(error.message).toBe(
      'Entra rejected the client secret (AADSTS7000215): the secret is wrong or expired (or its ID was entered instead of its value) — create a new one under Certificates & secrets and PATCH the profile. Entra said: Invalid client secret provided.',
    );
  });

  it('maps an expired refresh token (invalid_grant) to authentication with the sign-in fix', () => {
    const error = fromMsalError(
      new InteractionRequiredAuthError(
        'invalid_grant',
        'c',
        'AADSTS700082: The refresh token has expired due to inactivity.',
        undefined,
        '',
        '',
        '',
        '700082',
      ),
      app,
      'refresh-token',
      'https://graph.microsoft.com',
    );
    expect(error).toMatchObject({ cause: 'authentication', microsoftCode: 'AADSTS700082' });
    expect(error.message).toContain('sign in again');
  });

  it('maps MSAL client-side errors and an unknown error class', () => {
    expect(
      fromMsalError(new ClientConfigurationError('authority_uri_insecure', ''), app, 'client-credentials', null),
    ).toMatchObject({ cause: 'configuration' });
    expect(fromMsalError(new AuthError('network_error', ''), app, 'client-credentials', null)).toMatchObject({
      cause: 'network',
      kind: 'unavailable',
    });
    expect(
      fromMsalError(new ServerError('temporarily_unavailable', ''), app, 'client-credentials', null),
    ).toMatchObject({ cause: 'unavailable' });
  });

  it("passes our own errors through and rethrows anything that is not MSAL's", () => {
    const ours = new UpstreamError({ service: 'entra', cause: 'network', message: 'm' });
    expect(fromMsalError(ours, app, 'client-credentials', null)).toBe(ours);
    const bug = new TypeError('bug');
    expect(() => fromMsalError(bug, app, 'client-credentials', null)).toThrow(bug);
  });

  it('scrubs token-shaped text from messages', () => {
    const error = new UpstreamError({
      service: 'graph',
      cause: 'rejected',
      message: 'echo Bearer abc.def.ghi and refresh_token=0.AXYZ',
    });
    expect(error.message).not.toContain('abc.def.ghi');
    expect(error.message).not.toContain('0.AXYZ');
  });
});
