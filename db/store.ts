import { randomBytes } from 'node:crypto';
import type { Clock, Store, StoreTx } from '../src/core/ports.js';
import { createSecretBox } from '../src/security/crypto.js';
import type { Db } from './client.js';
import { apiTokenRepo } from './repositories/api-tokens.js';
import { coordinatorRepo } from './repositories/coordinators.js';
import type { Executor } from './repositories/executor.js';
import { type InstallationCache, installationCache, installationRepo } from './repositories/installations.js';
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
  /** Installations already seen by this process (their id and name do not change). */
  installationCache?: InstallationCache;
}

/** Without a wired key, forgotten marks hash with a key that lives as long as the process. */
const processBox = createSecretBox(randomBytes(32).toString('base64'));
const processHasher = platformIdHasher(processBox);

/**
 * The repositories of one transaction, each made on first use: a request touches three or four of
 * the sixteen, and this runs for every request.
 */
export function repositories(db: Executor, clock: Clock, options: StoreOptions = {}): StoreTx {
  const made: Partial<StoreTx> = {};
  const lazy = <K extends keyof StoreTx>(key: K, make: () => StoreTx[K]) => ({
    get(): StoreTx[K] {
      made[key] ??= make();
      return made[key] as StoreTx[K];
    },
    enumerable: true,
  });
  return Object.defineProperties({} as StoreTx, {
    privacy: lazy('privacy', () => privacyRepo(db, options.hashPlatformId ?? processHasher)),
    installations: lazy('installations', () => installationRepo(db, options.installationCache)),
    networks: lazy('networks', () => networkRepo(db)),
    members: lazy('members', () => memberRepo(db)),
    coordinators: lazy('coordinators', () => coordinatorRepo(db)),
    organisations: lazy('organisations', () => organisationRepo(db)),
    outbox: lazy('outbox', () => outboxWriter(db, clock)),
    jobClaims: lazy('jobClaims', () => jobClaimRepo(db)),
    pairing: lazy('pairing', () => pairingRepo(db)),
    tips: lazy('tips', () => tipRepo(db)),
    stats: lazy('stats', () => statsRepo(db)),
    apiTokens: lazy('apiTokens', () => apiTokenRepo(db)),
    usedLinks: lazy('usedLinks', () => usedLinkRepo(db)),
    meetings: lazy('meetings', () => meetingRepo(db)),
    polls: lazy('polls', () => pollRepo(db)),
    nudges: lazy('nudges', () => nudgeRepo(db)),
  });
}

/** The core's Store port on drizzle: one database transaction per unit of work. */
export function createStore(db: Db, clock: Clock, options: StoreOptions = {}): Store {
  const withCache = { ...options, installationCache: options.installationCache ?? installationCache() };
  return {
    transaction: (fn) =>
      db
        .transaction((tx) => fn(repositories(tx as unknown as Executor, clock, withCache)))
        .catch((err: unknown) => {
          throw storeError(err);
        }),
  };
}
