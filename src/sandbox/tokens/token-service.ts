import { generateKeyPair, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { base64url, signHs256, signRs256, verifyHs256, type JwtClaims } from './jwt';
import type { SandboxResource } from './scopes';

export interface AccessTokenRequest {
  readonly resource: SandboxResource;
  readonly appId: string;
  readonly tenantId: string;
  /** Application tokens carry `roles`; delegated ones `scp` and the user's identity. */
  readonly application?: { readonly servicePrincipalId: string; readonly roles: readonly string[] };
  readonly delegated?: {
    readonly userId: string;
    readonly userPrincipalName: string;
    readonly name: string;
    readonly scp: readonly string[];
  };
}

export type TokenRejection = 'missing' | 'malformed' | 'signature' | 'expired' | 'audience' | 'revoked';

export type AccessTokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: TokenRejection };

/** What a code or refresh token lets its holder redeem later. */
export interface DelegatedGrant {
  readonly clientId: string;
  readonly userId: string;
  /** Everything asked for at authorize time: OIDC scopes and resource scopes. */
  readonly scopes: readonly string[];
}

export interface AuthorizationCode extends DelegatedGrant {
  readonly redirectUri: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: string;
  readonly nonce?: string;
  readonly issuedAt: number;
  readonly serial: number;
  redeemed: boolean;
}

export interface RefreshGrant extends DelegatedGrant {
  readonly issuedAt: number;
  readonly serial: number;
}

/** Entra's documented code lifetime is ~10 minutes; refresh tokens live 90 days. */
const CODE_LIFETIME_SECONDS = 600;
const REFRESH_LIFETIME_SECONDS = 90 * 86_400;

/**
 * Issues and checks everything the sandbox's Entra hands out. Access tokens are HS256 with a key made
 * per server; id tokens are RS256 under a key published at the JWKS endpoint. Every token, code and
 * refresh token has a serial number, so "revoke everything issued so far" is one comparison.
 */
export class TokenService {
  private readonly hmacKey = randomBytes(32);
  private serial = 0;
  private revokedThrough = 0;
  private skewSeconds = 0;
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  private constructor(
    readonly issuer: string,
    readonly accessTokenLifetimeSeconds: number,
    private readonly signingKey: KeyObject,
    readonly publicJwk: Record<string, unknown>,
    readonly kid: string,
  ) {}

  static async create(issuer: string, accessTokenLifetimeSeconds = 3599): Promise<TokenService> {
    const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    const kid = base64url(randomBytes(20));
    const jwk = publicKey.export({ format: 'jwk' });
    return new TokenService(
      issuer,
      accessTokenLifetimeSeconds,
      privateKey,
      { kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e, issuer },
      kid,
    );
  }

  /** Seconds on the sandbox's token clock (real time plus whatever tests advanced it by). */
  nowSeconds(): number {
    return Math.floor(Date.now() / 1000) + this.skewSeconds;
  }

  /** Moves the token clock forward, e.g. past `expires_in` to see tokens expire without waiting. */
  advanceClock(seconds: number): void {
    this.skewSeconds += seconds;
  }

  /** Every token, code and refresh token issued until now stops working. */
  revokeAll(): void {
    this.revokedThrough = this.serial;
  }

  issueAccessToken(request: AccessTokenRequest): { token: string; expiresIn: number } {
    const now = this.nowSeconds();
    const serial = ++this.serial;
    const claims: JwtClaims = {
      aud: request.resource.uri,
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + this.accessTokenLifetimeSeconds,
      appid: request.appId,
      azp: request.appId,
      appidacr: '1',
      idtyp: request.delegated ? 'user' : 'app',
      oid: request.delegated?.userId ?? request.application?.servicePrincipalId,
      sub: request.delegated?.userId ?? request.application?.servicePrincipalId,
      tid: request.tenantId,
      uti: utiFor(serial),
      ver: '2.0',
    };
    if (request.delegated) {
      claims['scp'] = request.delegated.scp.join(' ');
      claims['upn'] = request.delegated.userPrincipalName;
      claims['name'] = request.delegated.name;
    } else if (request.application && request.application.roles.length > 0) {
      claims['roles'] = request.application.roles;
    }
    return { token: signHs256(claims, this.hmacKey), expiresIn: this.accessTokenLifetimeSeconds };
  }

  checkAccessToken(authorization: string | undefined, audience: string): AccessTokenCheck {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'missing' };
    const verified = verifyHs256(match[1]!, this.hmacKey);
    if (!verified.ok) return verified;
    const { claims } = verified;
    if (typeof claims['exp'] !== 'number' || claims['exp'] <= this.nowSeconds())
      return { ok: false, reason: 'expired' };
    if (typeof claims['aud'] !== 'string' || claims['aud'].toLowerCase() !== audience.toLowerCase())
      return { ok: false, reason: 'audience' };
    if (serialOf(claims['uti']) <= this.revokedThrough) return { ok: false, reason: 'revoked' };
    return { ok: true, claims };
  }

  issueIdToken(claims: JwtClaims): string {
    const now = this.nowSeconds();
    return signRs256(
      { ...claims, iss: this.issuer, iat: now, nbf: now, exp: now + 3600, uti: utiFor(++this.serial), ver: '2.0' },
      this.signingKey,
      this.kid,
    );
  }

  issueCode(grant: Omit<AuthorizationCode, 'issuedAt' | 'serial' | 'redeemed'>): string {
    const code = `1.A${base64url(randomBytes(48))}`;
    this.codes.set(code, { ...grant, issuedAt: this.nowSeconds(), serial: ++this.serial, redeemed: false });
    return code;
  }

  /** The code's grant, or why it cannot be redeemed. Redeeming marks it used (codes are single-use). */
  redeemCode(
    code: string,
  ): { ok: true; grant: AuthorizationCode } | { ok: false; reason: 'unknown' | 'expired' | 'redeemed' | 'revoked' } {
    const grant = this.codes.get(code);
    if (!grant) return { ok: false, reason: 'unknown' };
    if (grant.serial <= this.revokedThrough) return { ok: false, reason: 'revoked' };
    if (grant.redeemed) return { ok: false, reason: 'redeemed' };
    if (this.nowSeconds() - grant.issuedAt > CODE_LIFETIME_SECONDS) return { ok: false, reason: 'expired' };
    grant.redeemed = true;
    return { ok: true, grant };
  }

  issueRefreshToken(grant: DelegatedGrant): string {
    const token = `0.A${base64url(randomBytes(96))}`;
    this.refreshTokens.set(token, { ...grant, issuedAt: this.nowSeconds(), serial: ++this.serial });
    return token;
  }

  checkRefreshToken(
    token: string,
  ): { ok: true; grant: RefreshGrant } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' } {
    const grant = this.refreshTokens.get(token);
    if (!grant) return { ok: false, reason: 'unknown' };
    if (grant.serial <= this.revokedThrough) return { ok: false, reason: 'revoked' };
    if (this.nowSeconds() - grant.issuedAt > REFRESH_LIFETIME_SECONDS) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  newCorrelationId(): string {
    return randomUUID();
  }
}

/** `uti` is Entra's unique token id claim; here it also carries the serial used for revocation. */
function utiFor(serial: number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32BE(serial, 0);
  randomBytes(12).copy(bytes, 4);
  return base64url(bytes);
}

function serialOf(uti: unknown): number {
  if (typeof uti !== 'string') return 0;
  const bytes = Buffer.from(uti, 'base64url');
  return bytes.length === 16 ? bytes.readUInt32BE(0) : 0;
}
