import { VaultRecordDestroyed, type SecretVault } from '../../src/credentials/vault';
import { ConcurrencyError } from '../../src/eventstore/errors';
import { newId } from '../../src/shared/ids';

/**
 * What every secret vault keeps: conditional writes, the latest record wins, and a destroyed
 * record is gone for good: unreadable, never written again. Names are fresh per test, so the
 * suite also runs against a long-lived EventStoreDB.
 */
export function vaultContract(name: string, open: () => Promise<SecretVault>, close: () => Promise<void>) {
  describe(`secret vault contract: ${name}`, () => {
    let vault: SecretVault;
    let record: string;
    beforeAll(async () => {
      vault = await open();
    });
    afterAll(() => close());
    beforeEach(() => {
      record = `contract-${newId()}`;
    });

    it('reads a missing record as null', async () => {
      await expect(vault.read(record)).resolves.toBeNull();
    });

    it('writes a new record at null, then each next version at the one read; the latest is read back', async () => {
      expect(await vault.write(record, { n: 1 }, null)).toBe(0);
      expect(await vault.write(record, { n: 2, list: ['a', 'b'] }, 0)).toBe(1);
      await expect(vault.read(record)).resolves.toEqual({ record: { n: 2, list: ['a', 'b'] }, version: 1 });
    });

    it('refuses a write at a version that is not the current one, and changes nothing', async () => {
      await vault.write(record, { n: 1 }, null);
      await expect(vault.write(record, { n: 9 }, null)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(vault.write(record, { n: 9 }, 5)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(vault.read(record)).resolves.toEqual({ record: { n: 1 }, version: 0 });
    });

    it('of two writers at the same version exactly one lands', async () => {
      await vault.write(record, { n: 0 }, null);
      const outcomes = await Promise.allSettled([vault.write(record, { n: 1 }, 0), vault.write(record, { n: 2 }, 0)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(ConcurrencyError);
    });

    it('destroys a record with all its versions: unreadable, and never written again', async () => {
      await vault.write(record, { secret: 'one' }, null);
      await vault.write(record, { secret: 'two' }, 0);
      await vault.destroy(record);
      await expect(vault.read(record)).resolves.toBeNull();
      await expect(vault.write(record, { secret: 'three' }, null)).rejects.toBeInstanceOf(VaultRecordDestroyed);
      await expect(vault.read(record)).resolves.toBeNull();
    });

    it('destroying a missing or an already destroyed record is a no-op', async () => {
      await expect(vault.destroy(record)).resolves.toBeUndefined();
      await expect(vault.destroy(record)).resolves.toBeUndefined();
      await expect(vault.read(record)).resolves.toBeNull();
    });
  });
}
