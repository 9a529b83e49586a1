/**
 * The key (or a session token) lives in sessionStorage: it survives a reload of the tab and
 * is gone when the tab closes; it never goes into a URL or localStorage.
 */
const TOKEN = 'license-ledger.token';
const PROFILE = 'license-ledger.profile';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN),
  setToken: (token: string): void => sessionStorage.setItem(TOKEN, token),
  /** The profile chosen in this tab; a return from Microsoft's sign-in (`#/profiles?profile=…`) names it. */
  profile: (): string | null =>
    new URLSearchParams(location.hash.split('?')[1] ?? '').get('profile') ?? sessionStorage.getItem(PROFILE),
  setProfile: (id: string): void => sessionStorage.setItem(PROFILE, id),
  clear: (): void => {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(PROFILE);
  },
};
