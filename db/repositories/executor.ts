import type { Db } from '../client.js';

/** A database or an open transaction: repositories work on either. */
export type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;
