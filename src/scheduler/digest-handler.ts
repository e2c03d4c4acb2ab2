/** The weekly tip digest: the scheduler claims the slot, the core queues the digest (or nothing). */
import type { Logger } from '../core/ports.js';
import { sendDigest } from '../core/tips/digest.js';
import type { JobHandler } from './scheduler.js';

export function digestHandler(logger: Logger): JobHandler {
  return async ({ network, slot, slotKey, tx }) => {
    const sent = await sendDigest(tx, network, slot, slotKey);
    logger.info({ networkId: network.id, sent }, 'tip digest');
  };
}
