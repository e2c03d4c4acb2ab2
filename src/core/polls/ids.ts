/** Action and form ids of polls (the core routes by these). */
export const POLL_VOTE = 'poll.vote';
export const POLL_CLOSE = 'poll.close';
export const POLL_FINALIZE = 'poll.finalize';
/** Opens the new-poll form; the rhythm nudge posts a button with exactly this id. */
export const POLL_FORM_OPEN = 'poll.form.open';
export const POLL_FORM = 'poll.form';

/** The outbox key of a poll's channel post (its ref is what updates target). */
export const pollPostKey = (pollId: string) => `poll:${pollId}:post`;

/** Poll ids in button values are UUIDs; anything else is a tampered or stale value. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
