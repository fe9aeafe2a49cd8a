// The memory-alarm helper on the real broker: the alarm shows in /api/nodes, and is gone afterwards
// even when what ran under it failed.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WATERMARK, memAlarmShown, setWatermark, withMemoryAlarm } from '../helpers/alarm';

afterAll(async () => {
  // belt and braces: never leave the broker in alarm for the files after this one
  await setWatermark(DEFAULT_WATERMARK);
});

describe('a memory alarm on the test broker', () => {
  it('is seen in /api/nodes while it lasts and cleared afterwards, even when the body throws', async () => {
    expect(await memAlarmShown()).toBe(false);
    let seen = false;
    await expect(
      withMemoryAlarm(async () => {
        seen = await memAlarmShown();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toBe(true);
    expect(await memAlarmShown()).toBe(false);
  });
});
