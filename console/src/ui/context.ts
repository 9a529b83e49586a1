import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Role } from '../api/client';
import type { Profile } from '../api/types';

export interface ConsoleState {
  readonly api: Api;
  readonly role: Role;
  /** Admins issue commands; an auditor sees every figure and no command control. */
  readonly canCommand: boolean;
  readonly profile: Profile;
  readonly profiles: Profile[];
  /** After a profile changed (created, edited, published): read the list again. */
  readonly reloadProfiles: (selectId?: string) => void;
}

export const ConsoleContext = createContext<ConsoleState | null>(null);

export function useConsole(): ConsoleState {
  const state = useContext(ConsoleContext);
  if (!state) throw new Error('useConsole outside the signed-in console');
  return state;
}
