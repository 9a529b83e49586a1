/** Injection tokens for what is not a class. */
export const CONFIG = Symbol('Config');
export const APP_OPTIONS = Symbol('AppOptions');
export const LOGGER = Symbol('Logger');
export const SQLITE = Symbol('SqliteDatabase');
export const EVENT_REGISTRY = Symbol('EventRegistry');
export const READ_MODELS = Symbol('ReadModelStore');
export const METRICS = Symbol('Metrics');
