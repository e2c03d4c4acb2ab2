import { randomBytes } from 'node:crypto';
import type { Clock, Store, StoreTx } from '../src/core/ports.js';
import { createSecretBox } from '../src/security/crypto.js';
import type { Db } from './client.js';
import { apiTokenRepo } from './repositories/api-tokens.js';
import { coordinatorRepo } from './repositories/coordinators.js';
import type { Executor } from './repositories/executor.js';
import { installationRepo } from './repositories/installations.js';
import { jobClaimRepo } from './repositories/job-claims.js';
import { meetingRepo } from './repositories/meetings.js';
import { memberRepo } from './repositories/members.js';
import { networkRepo } from './repositories/networks.js';
import { nudgeRepo } from './repositories/nudges.js';
import { organisationRepo } from './repositories/organisations.js';
import { outboxWriter } from './repositories/outbox-writer.js';
import { pairingRepo } from './repositories/pairing.js';
import { pollRepo } from './repositories/polls.js';
import { type PlatformIdHasher, platformIdHasher, privacyRepo } from './repositories/privacy.js';
import { statsRepo } from './repositories/stats.js';
import { tipRepo } from './repositories/tips.js';
import { usedLinkRepo } from './repositories/used-links.js';
import { storeError } from './unavailable.js';

export interface StoreOptions {
  /** Keyed hash of platform ids (forget-me); wire SecretBox.hmac (KLIK_SECRET_KEY) in production. */
  hashPlatformId?: PlatformIdHasher;
}

/** Without a wired key, forgotten marks hash with a key that lives as long as the process. */
const processBox = createSecretBox(randomBytes(32).toString('base64'));
const processHasher = platformIdHasher(processBox);

export function repositories(db: Executor, clock: Clock, options: StoreOptions = {}): StoreTx {
  return {
    privacy: privacyRepo(db, options.hashPlatformId ?? processHasher),
    installations: installationRepo(db),
    networks: networkRepo(db),
    members: memberRepo(db),
    coordinators: coordinatorRepo(db),
    organisations: organisationRepo(db),
    outbox: outboxWriter(db, clock),
    jobClaims: jobClaimRepo(db),
    pairing: pairingRepo(db),
    tips: tipRepo(db),
    stats: statsRepo(db),
    apiTokens: apiTokenRepo(db),
    usedLinks: usedLinkRepo(db),
    meetings: meetingRepo(db),
    polls: pollRepo(db),
    nudges: nudgeRepo(db),
  };
}

/** The core's Store port on drizzle: one database transaction per unit of work. */
export function createStore(db: Db, clock: Clock, options: StoreOptions = {}): Store {
  return {
    transaction: (fn) =>
      db
        .transaction((tx) => fn(repositories(tx as unknown as Executor, clock, options)))
        .catch((err: unknown) => {
          throw storeError(err);
        }),
  };
}
