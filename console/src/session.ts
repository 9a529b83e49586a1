/**
 * The key (or a session token) lives in sessionStorage: it survives a reload of the tab and
 * is gone when the tab closes; it never goes into a URL or localStorage.
 */
const TOKEN = 'license-ledger.token';
const PROFILE = 'license-ledger.profile';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN),
  setToken: (token: string): void => sessionStorage.setItem(TOKEN, token),
  profile: (): string | null => sessionStorage.getItem(PROFILE),
  setProfile: (id: string): void => sessionStorage.setItem(PROFILE, id),
  clear: (): void => {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(PROFILE);
  },
};
