import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { NewEvent, RecordedEvent } from '../eventstore/event-store.port';
import type { JsonObject } from '../shared/json';
import type { EventDefinition } from '../domain/event-definition';
import { METADATA_SCHEMA } from './metadata.schema';

export class EventSchemaError extends Error {
  override readonly name = 'EventSchemaError';
  constructor(
    readonly eventType: string,
    readonly problems: readonly string[],
  ) {
    super(`event ${eventType} does not match its schema: ${problems.join('; ')}`);
  }
}

/** Every event type the ledger writes, with compiled validators and upcasters. */
export class EventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly validateMetadata: ValidateFunction;
  private readonly ajv: Ajv2020;

  constructor(definitions: readonly EventDefinition[]) {
    this.ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(this.ajv);
    this.validateMetadata = this.ajv.compile(METADATA_SCHEMA);
    for (const d of definitions) {
      if (this.definitions.has(d.type)) throw new Error(`event type ${d.type} is defined twice`);
      this.definitions.set(d.type, d);
      this.validators.set(d.type, this.ajv.compile(d.data));
    }
  }

  all(): readonly EventDefinition[] {
    return [...this.definitions.values()];
  }

  get(type: string): EventDefinition | undefined {
    return this.definitions.get(type);
  }

  /** Throws EventSchemaError for an unknown type or data/metadata that breaks the schema. */
  check(event: Pick<NewEvent, 'type' | 'data' | 'metadata'>): void {
    const validate = this.validators.get(event.type);
    if (!validate) throw new EventSchemaError(event.type, ['unknown event type']);
    const problems: string[] = [];
    if (!validate(event.data))
      problems.push(...(validate.errors ?? []).map((e) => `data${e.instancePath} ${e.message}`));
    if (!this.validateMetadata(event.metadata)) {
      problems.push(...(this.validateMetadata.errors ?? []).map((e) => `metadata${e.instancePath} ${e.message}`));
    }
    if (event.metadata.schemaVersion !== this.definitions.get(event.type)!.schemaVersion) {
      problems.push(`metadata.schemaVersion must be ${this.definitions.get(event.type)!.schemaVersion}`);
    }
    if (problems.length > 0) throw new EventSchemaError(event.type, problems);
  }

  /** Brings data written under an older schema version up to the current one. */
  upcast(event: RecordedEvent): RecordedEvent {
    const definition = this.definitions.get(event.type);
    const from = event.metadata.schemaVersion;
    if (!definition || typeof from !== 'number' || from >= definition.schemaVersion) return event;
    let data: JsonObject = event.data;
    for (let v = from; v < definition.schemaVersion; v++) {
      const step = definition.upcasters?.[v];
      if (!step) throw new Error(`no upcaster for ${event.type} v${v} -> v${v + 1}`);
      data = step(data, event);
    }
    return {
      ...event,
      data,
      metadata: { ...event.metadata, schemaVersion: definition.schemaVersion, upcastFrom: from },
    };
  }

  /** The published contract: one JSON Schema per type, with its envelope. */
  schemas(): Record<string, JsonObject> {
    const out: Record<string, JsonObject> = {};
    for (const d of this.definitions.values()) {
      out[d.type] = {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `urn:license-ledger:event:${d.type}:v${d.schemaVersion}`,
        title: d.type,
        description: d.description,
        'x-stream-category': d.category,
        'x-schema-version': d.schemaVersion,
        type: 'object',
        required: ['type', 'data', 'metadata'],
        // Plain JSON: TypeBox marks its schemas with symbols, which are no part of the contract.
        properties: JSON.parse(
          JSON.stringify({ type: { const: d.type }, data: d.data, metadata: METADATA_SCHEMA }),
        ) as JsonObject,
      } as JsonObject;
    }
    return out;
  }
}
