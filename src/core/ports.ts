/**
 * The core's ports: everything the domain needs from the outside world, as small interfaces.
 * Adapters (chat platforms), db/ (the store) and the process (clock, logger) implement them.
 */
import type { Form, Message } from '../messages/model.js';
import type { MeetingRepo } from './meetings/ports.js';
import type { NudgeRepo } from './nudges/ports.js';
import type { PollRepo } from './polls/ports.js';
import type { PrivacyRepo } from './privacy/ports.js';
import type { PairingRepo } from './rounds/ports.js';
import type { ApiTokenRepo, StatsRepo, UsedLinkRepo } from './stats/ports.js';
import type { TipRepo } from './tips/ports.js';
import type {
  Installation,
  Locale,
  Member,
  Membership,
  MembershipStatus,
  Network,
  NetworkSettings,
  Organisation,
  Platform,
  PlatformUser,
} from './types.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The subset of pino's logger the core uses. Never pass message text, tokens or secrets. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/** Where a posted message lives, so it can be updated later. */
export interface MessageRef {
  channelId: string;
  messageId: string;
}

/** What the platform needs to open a form (Slack trigger_id, Teams invoke, playground session). */
export interface FormTrigger {
  triggerId: string;
  userId: string;
  channelId?: string;
}

export interface InstallationRef {
  id: string;
  platform: Platform;
  externalId: string;
}

/** A chat platform, as the core and the outbox dispatcher see it. */
export interface ChatPlatform {
  readonly platform: Platform;
  postToChannel(inst: InstallationRef, channelId: string, message: Message): Promise<MessageRef>;
  postToUser(inst: InstallationRef, userId: string, message: Message): Promise<MessageRef>;
  postToGroup(inst: InstallationRef, userIds: string[], message: Message): Promise<MessageRef>;
  postEphemeral(inst: InstallationRef, channelId: string, userId: string, message: Message): Promise<void>;
  updateMessage(inst: InstallationRef, ref: MessageRef, message: Message): Promise<void>;
  openForm(inst: InstallationRef, trigger: FormTrigger, form: Form): Promise<void>;
  getUser(inst: InstallationRef, userId: string): Promise<PlatformUser | null>;
  /** Channel members, humans and bots alike (the core filters). Throws PlatformError `not_in_channel`. */
  listChannelMembers(inst: InstallationRef, channelId: string): Promise<PlatformUser[]>;
}

/** Where an outbox message goes. Members are internal ids; the dispatcher resolves them. */
export type OutboxTarget =
  | { kind: 'channel'; channelId: string }
  | { kind: 'user'; memberId: string }
  | { kind: 'group'; memberIds: string[] }
  | { kind: 'update'; ref: MessageRef; live?: LiveSource };

/**
 * An update whose message is rendered when it is sent, from the store as it is then (a poll's
 * tallies): however many changes were queued, one render per send shows all of them.
 */
export type LiveSource = { kind: 'poll'; id: string };

/** Renders a live update's message at send time; null when there is nothing to show any more. */
export interface LiveMessages {
  render(installationId: string, source: LiveSource): Promise<Message | null>;
}

export interface OutboxMessage {
  installationId: string;
  networkId?: string | null;
  /** Unique per installation: writing the same key twice keeps the first. */
  key: string;
  target: OutboxTarget;
  message: Message;
  /** Not sent before this instant (quiet hours, a member's own time zone). */
  notBefore?: Date;
}

export interface OutboxWriter {
  /** Returns false when the key already existed (nothing written). */
  enqueue(message: OutboxMessage): Promise<boolean>;
  /** Where the message with this key was posted, once it was sent (to update it later). */
  sentRef(installationId: string, key: string): Promise<MessageRef | null>;
  /**
   * Writes the message under this key, or replaces the message of a row with this key that is still
   * pending (not yet claimed by a dispatcher). False when the key exists and was claimed or sent.
   */
  upsertPending(message: OutboxMessage): Promise<boolean>;
}

export interface InstallationRepo {
  ensure(platform: Platform, externalId: string, name?: string): Promise<Installation>;
  get(id: string): Promise<Installation | null>;
}

export interface NewNetwork {
  installationId: string;
  channelId: string;
  settings: NetworkSettings;
  createdBy: string;
  /** The injected clock's now: schedules count from the week of setup. */
  createdAt: Date;
}

export interface NetworkRepo {
  findByChannel(installationId: string, channelId: string): Promise<Network | null>;
  get(installationId: string, networkId: string): Promise<Network | null>;
  listActive(): Promise<Network[]>;
  create(input: NewNetwork): Promise<Network>;
  activate(installationId: string, networkId: string): Promise<boolean>;
  remove(installationId: string, networkId: string): Promise<void>;
  updateSettings(installationId: string, networkId: string, settings: Partial<NetworkSettings>): Promise<Network>;
  setPause(installationId: string, networkId: string, until: Date | null): Promise<void>;
  setSkipNextRound(installationId: string, networkId: string, skip: boolean): Promise<void>;
}

export type MemberProfile = Pick<Member, 'organisationId' | 'role' | 'canShare' | 'wantsToLearn' | 'nickname'>;

export interface RosterName {
  memberId: string;
  displayName: string;
  status: MembershipStatus;
}

export interface MemberRepo {
  /**
   * Creates the member on first sight, refreshes name, time zone and locale after. `seen`: the
   * member as just read in this unit of work (null: not there), so the upsert need not read again.
   */
  upsertFromPlatform(installationId: string, user: PlatformUser, seen?: Member | null): Promise<Member>;
  get(installationId: string, memberId: string): Promise<Member | null>;
  getMany(installationId: string, memberIds: string[]): Promise<Member[]>;
  findByPlatformId(installationId: string, platformUserId: string): Promise<Member | null>;
  /** Who acts, and the network of the channel they act in (either null), in one read. */
  findWithNetwork(
    installationId: string,
    platformUserId: string,
    channelId: string | null,
  ): Promise<{ member: Member | null; network: Network | null }>;
  setMembership(
    installationId: string,
    networkId: string,
    memberId: string,
    status: MembershipStatus,
    at: Date,
  ): Promise<Membership>;
  /** Saves the profile fields given (undefined keeps a field, null clears it). */
  updateProfile(installationId: string, memberId: string, profile: Partial<MemberProfile>): Promise<Member>;
  /** Opt-in pools pair only members who said `join`. */
  setOptedIn(installationId: string, networkId: string, memberId: string, optedIn: boolean): Promise<void>;
  /** Pauses pairing until a date (the member stays in the network). */
  pauseMembership(
    installationId: string,
    networkId: string,
    memberId: string,
    until: Date,
    at: Date,
  ): Promise<Membership>;
  getMembership(installationId: string, networkId: string, memberId: string): Promise<Membership | null>;
  /** Display names of these members (a busy poll's render needs only these). */
  displayNames(installationId: string, memberIds: string[]): Promise<Map<string, string>>;
  /** The network's members with their names and status, longest-standing first. */
  rosterNames(installationId: string, networkId: string): Promise<RosterName[]>;
  listMemberships(installationId: string, networkId: string): Promise<Array<Membership & { member: Member }>>;
}

export interface CoordinatorRepo {
  list(installationId: string, networkId: string): Promise<Member[]>;
  isCoordinator(installationId: string, networkId: string, memberId: string): Promise<boolean>;
  add(installationId: string, networkId: string, memberId: string, addedBy: string | null): Promise<boolean>;
  remove(installationId: string, networkId: string, memberId: string): Promise<boolean>;
}

export interface OrganisationRepo {
  list(installationId: string, networkId: string): Promise<Organisation[]>;
  /** Returns null when the name already exists (case-insensitive). */
  add(installationId: string, networkId: string, name: string): Promise<Organisation | null>;
}

/** How a scheduled slot was decided; 'failed' after its handler threw too often. */
export type JobOutcome = 'run' | 'dropped' | 'skipped' | 'failed';

export interface JobClaim {
  installationId: string;
  networkId: string;
  kind: string;
  slot: string;
  outcome: JobOutcome;
  claimedBy: string;
  claimedAt: Date;
}

/** One row per (network, kind, slot): whoever inserts it decides (and runs) the slot. */
export interface JobClaimRepo {
  /** True when this caller inserted the claim; false when the slot was already claimed. */
  claim(input: Omit<JobClaim, 'claimedAt'> & { at: Date }): Promise<boolean>;
  get(networkId: string, kind: string, slot: string): Promise<JobClaim | null>;
  /** The most recently claimed slot of a kind. */
  latest(networkId: string, kind: string): Promise<JobClaim | null>;
}

/** One unit of work: everything written in it commits or rolls back together. */
export interface StoreTx {
  installations: InstallationRepo;
  networks: NetworkRepo;
  members: MemberRepo;
  coordinators: CoordinatorRepo;
  organisations: OrganisationRepo;
  outbox: OutboxWriter;
  jobClaims: JobClaimRepo;
  pairing: PairingRepo;
  tips: TipRepo;
  stats: StatsRepo;
  apiTokens: ApiTokenRepo;
  usedLinks: UsedLinkRepo;
  privacy: PrivacyRepo;
  meetings: MeetingRepo;
  polls: PollRepo;
  nudges: NudgeRepo;
}

export interface Store {
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}

export type { Locale };
