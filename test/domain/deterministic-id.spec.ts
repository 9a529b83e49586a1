import { deterministicId, isUuid } from '../../src/shared/ids';

// Event ids already stored were made by createHash('sha1').update(namespace).update(parts): these
// ids are what that gave, so a faster hash must keep giving them (a re-run must append nothing twice).
describe('deterministicId', () => {
  it('gives the ids stored before (version 5, RFC 9562 variant)', () => {
    expect(deterministicId('licensee-p1.u1', '0', 'LicenseAssigned', 'sku-1')).toBe(
      'd5017726-5deb-53f0-9d99-c6361d53bffd',
    );
    expect(deterministicId('x')).toBe('c1e62fa0-8087-5a17-84aa-e4b61e8f7cac');
    expect(deterministicId('é', 'ü', '')).toBe('ade7becc-856a-51fb-8708-7461466944d9');
  });

  it('sets the version and variant digits of every id', () => {
    for (let i = 0; i < 200; i++) {
      const id = deterministicId('stream', String(i));
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('5');
      expect('89ab').toContain(id[19]);
    }
  });
});
