/** Injection tokens for what is not a class. */
export const CONFIG = Symbol('Config');
export const APP_OPTIONS = Symbol('AppOptions');
export const LOGGER = Symbol('Logger');
export const SQLITE = Symbol('SqliteDatabase');
export const EVENT_REGISTRY = Symbol('EventRegistry');
export const READ_MODELS = Symbol('ReadModelStore');
export const METRICS = Symbol('Metrics');
/** The shared secret vault (credentials/vault.ts): on the event store every instance uses. */
export const SECRET_VAULT = Symbol('SecretVault');
/** The event-store adapter itself, without the registry and metrics around it (core.module.ts only). */
export const STORE_ADAPTER = Symbol('EventStoreAdapter');
