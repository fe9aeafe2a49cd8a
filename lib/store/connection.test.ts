import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { STORE_PG_TYPES, withoutCredentials } from './connection';
import './store';

describe("the store's connection", () => {
  it("reads bigints as numbers on its own pool; pg's process-wide parsers are left as they are", () => {
    const parse = (types: { getTypeParser(oid: number, format: 'text'): unknown }) => (types.getTypeParser(pg.types.builtins.INT8, 'text') as (text: string) => unknown)('1764295200000');
    expect(parse(STORE_PG_TYPES)).toBe(1764295200000);
    expect(parse(pg.types)).toBe('1764295200000');
  });

  it('says where it is without credentials', () => {
    expect(withoutCredentials('postgres://lens:secret@db.example:5432/lens')).toBe('postgres://db.example:5432/lens');
    expect(withoutCredentials('data/lens.sqlite')).toBe('data/lens.sqlite');
  });
});
