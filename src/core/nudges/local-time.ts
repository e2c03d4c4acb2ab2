/** When a per-item nudge goes out: at the network's time of day, on the first allowed day. */
import {
  addDays,
  isAllowed,
  localDateOf,
  nextAllowedMinute,
  parseClockTime,
  resolveLocal,
} from '../schedule/quiet-hours.js';
import type { Network } from '../types.js';

/**
 * The first network `time` at or after `from`, in `zone`, on a day it is allowed (a weekday, outside
 * quiet hours); when the time itself is in quiet hours, the next allowed minute after it.
 */
export function nextNetworkTime(from: Date | number, zone: string, network: Network): Date {
  const start = typeof from === 'number' ? from : from.getTime();
  const minutes = parseClockTime(network.time);
  const first = localDateOf(start, zone);
  for (let i = 0; i < 8; i++) {
    const at = resolveLocal(zone, addDays(first, i), minutes);
    if (at.getTime() >= start && isAllowed(at, zone, network.quietHours)) return at;
  }
  return nextAllowedMinute(resolveLocal(zone, first, minutes), zone, network.quietHours);
}
