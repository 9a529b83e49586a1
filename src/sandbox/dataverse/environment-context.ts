import type { DataverseStore } from '../dataverse-store';

/** One environment's Web API as a request sees it: its store and where it is served. */
export interface EnvironmentContext {
  readonly store: DataverseStore;
  /** `https://127.0.0.1:PORT/dynamics` (or `/dynamics-<name>`): the token audience. */
  readonly environmentUrl: string;
  /** `${environmentUrl}/api/data/v9.2`. */
  readonly base: string;
}

export function environmentContext(origin: string, store: DataverseStore): EnvironmentContext {
  const environmentUrl = `${origin}/${store.environment.path}`;
  return { store, environmentUrl, base: `${environmentUrl}/api/data/v9.2` };
}
