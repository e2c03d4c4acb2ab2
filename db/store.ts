import type { Clock, Store, StoreTx } from '../src/core/ports.js';
import type { Db } from './client.js';
import { coordinatorRepo } from './repositories/coordinators.js';
import type { Executor } from './repositories/executor.js';
import { installationRepo } from './repositories/installations.js';
import { jobClaimRepo } from './repositories/job-claims.js';
import { memberRepo } from './repositories/members.js';
import { networkRepo } from './repositories/networks.js';
import { organisationRepo } from './repositories/organisations.js';
import { outboxWriter } from './repositories/outbox-writer.js';
import { pairingRepo } from './repositories/pairing.js';
import { tipRepo } from './repositories/tips.js';

export function repositories(db: Executor, clock: Clock): StoreTx {
  return {
    installations: installationRepo(db),
    networks: networkRepo(db),
    members: memberRepo(db),
    coordinators: coordinatorRepo(db),
    organisations: organisationRepo(db),
    outbox: outboxWriter(db, clock),
    jobClaims: jobClaimRepo(db),
    pairing: pairingRepo(db),
    tips: tipRepo(db),
  };
}

/** The core's Store port on drizzle: one database transaction per unit of work. */
export function createStore(db: Db, clock: Clock): Store {
  return {
    transaction: (fn) => db.transaction((tx) => fn(repositories(tx as unknown as Executor, clock))),
  };
}
