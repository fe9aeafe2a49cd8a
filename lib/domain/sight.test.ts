import { describe, expect, it } from 'vitest';
import { SEES_ALL, seesEntry, seesProcess, sightOf } from './sight';

describe('what an operator may see of what is remembered', () => {
  const cell1 = sightOf(['cell1'], ['cell1', 'cell2']);

  it('everything, when their user reads every vhost the configured user reads', () => {
    expect(sightOf(['cell1', 'cell2', 'extra'], ['cell1', 'cell2'])).toBe(SEES_ALL);
    expect(cell1).toEqual({ all: false, vhosts: new Set(['cell1']) });
  });

  it("the entries of their vhosts and the broker's nodes; nothing of no known vhost", () => {
    expect(seesEntry(cell1, { kind: 'consumer-lost', vhost: 'cell1' })).toBe(true);
    expect(seesEntry(cell1, { kind: 'consumer-lost', vhost: 'cell2' })).toBe(false);
    expect(seesEntry(cell1, { kind: 'connection-closed', vhost: null })).toBe(false);
    expect(seesEntry(cell1, { kind: 'node-alarm', vhost: null })).toBe(true);
    expect(seesEntry(SEES_ALL, { kind: 'process-gone', vhost: null })).toBe(true);
  });

  it('a process whose every vhost they read', () => {
    expect(seesProcess(cell1, ['cell1'])).toBe(true);
    expect(seesProcess(cell1, ['cell1', 'cell2'])).toBe(false);
    expect(seesProcess(cell1, null)).toBe(false);
    expect(seesProcess(cell1, [])).toBe(false);
  });
});
