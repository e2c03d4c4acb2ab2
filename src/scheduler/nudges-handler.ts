/**
 * Nudges on the scheduler: the rhythm nudge, connection milestones and the anniversary as network
 * slots (claimed by the scheduler); quiet members, the end of a network's pause and a network without
 * coordinator as sweeps.
 */
import { sendAnniversary, sendConnectionMilestone } from '../core/nudges/milestones.js';
import { quietMemberNudges } from '../core/nudges/quiet-member.js';
import { pauseEndNudges } from '../core/nudges/resume.js';
import { sendRhythmNudge } from '../core/nudges/rhythm.js';
import { takeOverNudges } from '../core/nudges/takeover.js';
import type { Logger } from '../core/ports.js';
import type { JobHandler, Sweep } from './scheduler.js';

export function nudgeHandlers(logger: Logger, workerId: string): Array<[string, JobHandler]> {
  return [
    [
      'rhythm',
      async ({ network, slotKey, now, tx }) => {
        const asked = await sendRhythmNudge(tx, network, slotKey, now, workerId);
        logger.info({ networkId: network.id, asked }, 'rhythm nudge');
      },
    ],
    [
      'milestones',
      async ({ network, now, tx }) => {
        const reached = await sendConnectionMilestone(tx, network, now, workerId);
        if (reached) logger.info({ networkId: network.id, reached }, 'connection milestone');
      },
    ],
    [
      'anniversary',
      async ({ network, slot, slotKey, tx }) => {
        await sendAnniversary(tx, network, slot, slotKey);
        logger.info({ networkId: network.id }, 'anniversary');
      },
    ],
  ];
}

export const nudgeSweeps: readonly Sweep[] = [quietMemberNudges, pauseEndNudges, takeOverNudges];
