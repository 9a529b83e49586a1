import type { Logger } from '../logging/logger';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { SecretKeyMismatchError, VaultCredentialStore } from './credential.store';
import { migrateLegacyCredentials } from './legacy-credentials';
import { VaultSigningKeyStore } from './signing-keys';
import type { SecretVault } from './vault';

/** A key that cannot open the shared store's secrets: main prints it and exits, before anything serves. */
export class SecretKeyRefused extends Error {
  override readonly name = 'SecretKeyRefused';
}

/**
 * Opens the credential store at start: checks the master key against the one the shared
 * store records (a wrong key stops the start with one line, rather than failing each secret
 * later with a 500), then moves credentials an earlier version kept in this instance's own
 * SQLite file into the vault.
 */
export async function openCredentialStore(
  vault: SecretVault,
  db: SqliteDatabase,
  key: { readonly key: Buffer; readonly source: string },
  logger: Logger,
): Promise<VaultCredentialStore> {
  let credentials: VaultCredentialStore;
  try {
    credentials = await VaultCredentialStore.open(vault, key.key);
  } catch (error) {
    if (error instanceof SecretKeyMismatchError)
      throw new SecretKeyRefused(`${error.message} (key from ${key.source})`);
    throw error;
  }
  const report = await migrateLegacyCredentials(db, key.key, credentials, new VaultSigningKeyStore(vault, credentials));
  if (report.moved > 0 || report.signingKeys > 0)
    logger.info('moved credentials from this instance’s file into the shared vault', {
      vault: vault.kind,
      moved: report.moved,
      keyRingEntries: report.signingKeys,
    });
  if (report.foreign > 0)
    logger.warn('credentials sealed under another SAM_SECRET_KEY were left in this instance’s file', {
      count: report.foreign,
    });
  logger.info('credential store ready', { vault: vault.kind, keySource: key.source, keyId: credentials.fingerprint });
  return credentials;
}
