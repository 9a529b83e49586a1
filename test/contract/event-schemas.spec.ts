import { Type } from '@sinclair/typebox';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTRACT_DIR,
  GENERATED_DIRS,
  renderEventContract,
  writeEventContract,
} from '../../scripts/export-event-schemas';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { defineEvent } from '../../src/domain/event-definition';
import { EventRegistry } from '../../src/events/event-registry';

/**
 * The JSON Schemas in docs/events are what downstream teams read and vendor; the registry
 * is what the service enforces on every append. This keeps the two identical, byte for
 * byte, so the repository can never describe a contract the service does not hold.
 */
const dir = join(__dirname, '..', '..', CONTRACT_DIR);
const FIX = 'docs/events is out of date with the event registry: run `npm run event-schemas` and commit the result';

describe('docs/events, the published event contract', () => {
  const expected = renderEventContract();

  it('holds exactly the files the registry renders, with the same content', () => {
    const stale: string[] = [];
    for (const [path, text] of expected) {
      const file = join(dir, path);
      if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(path);
    }
    for (const sub of GENERATED_DIRS) {
      const present = existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)) : [];
      for (const name of present)
        if (!expected.has(`${sub}/${name}`)) stale.push(`${sub}/${name} (no longer rendered)`);
    }
    if (stale.length > 0) throw new Error(`${FIX}.\nDiffering files: ${stale.join(', ')}`);
  });

  it('has one schema file per registered type, equal to GET /api/v1/events/schemas', () => {
    const served = new EventRegistry(ALL_EVENT_DEFINITIONS).schemas();
    const index = JSON.parse(readFileSync(join(dir, 'schemas', 'index.json'), 'utf8')) as Record<
      string,
      { file: string; category: string; schemaVersion: number }
    >;
    expect(Object.keys(index).sort()).toEqual(Object.keys(served).sort());
    for (const [type, entry] of Object.entries(index)) {
      // Parsed equality: the files may order keys differently, never say anything else.
      expect([type, JSON.parse(readFileSync(join(dir, 'schemas', entry.file), 'utf8'))]).toEqual([type, served[type]]);
      expect(entry).toMatchObject({
        category: served[type]['x-stream-category'],
        schemaVersion: served[type]['x-schema-version'],
      });
    }
  });
});

describe('the export script', () => {
  const thing = (type: string, category: string) =>
    defineEvent({
      type,
      category,
      schemaVersion: 1,
      description: type,
      data: Type.Object({ b: Type.Optional(Type.String()), a: Type.Optional(Type.String()) }),
    });

  it('renders the same bytes whatever order types and fields are defined in', () => {
    const one = renderEventContract([thing('ThingA', 'thing'), thing('ThingB', 'widget')]);
    const other = renderEventContract([
      thing('ThingB', 'widget'),
      {
        ...thing('ThingA', 'thing'),
        data: Type.Object({ a: Type.Optional(Type.String()), b: Type.Optional(Type.String()) }),
      },
    ]);
    expect([...one.entries()].sort()).toEqual([...other.entries()].sort());
    expect([...one.keys()].sort()).toEqual([
      'asyncapi/sse.channel.json',
      'asyncapi/thing.channel.json',
      'asyncapi/widget.channel.json',
      'envelope.json',
      'schemas/ThingA.json',
      'schemas/ThingB.json',
      'schemas/index.json',
    ]);
    expect(JSON.parse(one.get('asyncapi/widget.channel.json')!)).toMatchObject({
      address: 'widget-{id}',
      messages: { ThingB: { payload: { $ref: '../schemas/ThingB.json#/properties/data' } } },
    });
  });

  it('writes the files and deletes a schema whose type is gone', () => {
    const out = mkdtempSync(join(tmpdir(), 'll-contract-'));
    try {
      writeEventContract(out, renderEventContract([thing('ThingA', 'thing'), thing('ThingB', 'thing')]));
      writeFileSync(join(out, 'README.md'), 'hand-written, not ours to delete');
      const { removed } = writeEventContract(out, renderEventContract([thing('ThingA', 'thing')]));
      expect(removed).toEqual(['schemas/ThingB.json']);
      expect(readdirSync(join(out, 'schemas')).sort()).toEqual(['ThingA.json', 'index.json']);
      expect(existsSync(join(out, 'README.md'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
