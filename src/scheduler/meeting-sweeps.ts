/** The meetings' per-item work on every scheduler tick: re-confirmations, waitlist offers that ran out, and what follows a meeting. */
import { nextMeetingEnd, runAfterMeetings } from '../core/meetings/after.js';
import type { CalendarLinks } from '../core/meetings/links.js';
import { nextReconfirmation, runReconfirmations } from '../core/meetings/reconfirm.js';
import { expireOffers } from '../core/meetings/waitlist.js';
import type { Sweep } from './scheduler.js';

export function meetingSweeps(calendar?: CalendarLinks): Sweep[] {
  return [
    {
      name: 'meeting-reconfirm',
      run: (ctx) => runReconfirmations(ctx),
      nextDueAt: (after, store) => nextReconfirmation(store, after),
    },
    {
      name: 'meeting-offers',
      run: (ctx) => expireOffers({ ...ctx, calendar }),
      nextDueAt: (after, store) => store.transaction((tx) => tx.meetings.nextOfferExpiry(after)),
    },
    {
      name: 'meeting-after',
      run: (ctx) => runAfterMeetings(ctx),
      nextDueAt: (after, store) => nextMeetingEnd(store, after),
    },
  ];
}
