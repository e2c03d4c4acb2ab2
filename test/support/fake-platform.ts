/**
 * A ChatPlatform double for outbox and core tests. It answers at once (no timers), records every
 * accepted send with its target and message, hands out message ids, and can be told to fail the
 * next N sends of one target with a given error.
 *
 * Targets are named like the calls: `channel:C1`, `user:U1`, `group:U1,U2` (in call order),
 * `update:C1/m1`, `ephemeral:C1/U1`.
 */
import type { ChatPlatform, FormTrigger, InstallationRef, MessageRef } from '../../src/core/ports.js';
import type { Platform, PlatformUser } from '../../src/core/types.js';
import type { Form, Message } from '../../src/messages/model.js';

export type FakeOp = 'channel' | 'user' | 'group' | 'update' | 'ephemeral';

export interface FakeSend {
  op: FakeOp;
  /** e.g. `channel:C1`. */
  target: string;
  installationId: string;
  message: Message;
  /** The ref handed back (for updates, the ref that was updated). */
  ref: MessageRef | null;
}

export interface FakeAttempt {
  op: FakeOp;
  target: string;
  installationId: string;
  /** Error code (or name) when the call failed, null when accepted. */
  error: string | null;
}

export class FakePlatform implements ChatPlatform {
  /** Accepted sends, in order. */
  readonly sent: FakeSend[] = [];
  /** Every call, failed ones included. */
  readonly attempts: FakeAttempt[] = [];
  readonly forms: Array<{ installationId: string; trigger: FormTrigger; form: Form }> = [];
  /** Users `getUser` and `listChannelMembers` know, by channel. */
  readonly users = new Map<string, PlatformUser>();
  readonly channelMembers = new Map<string, string[]>();

  private failures = new Map<string, Array<() => Error>>();
  private nextId = 0;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(readonly platform: Platform = 'slack') {}

  /** The next `times` calls to `target` throw `error` (a factory gives a fresh error each time). */
  failNext(target: string, times: number, error: Error | (() => Error)): this {
    const make = typeof error === 'function' ? error : () => error;
    const queue = this.failures.get(target) ?? [];
    for (let i = 0; i < times; i++) queue.push(make);
    this.failures.set(target, queue);
    return this;
  }

  /** Accepted sends to one target. */
  sentTo(target: string): FakeSend[] {
    return this.sent.filter((s) => s.target === target);
  }

  /** Resolves once `count` sends in total have been accepted (no timers: driven by the sends). */
  waitForSends(count: number): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private call<T>(op: FakeOp, target: string, inst: InstallationRef, run: () => T): T {
    const failure = this.failures.get(target)?.shift();
    if (failure) {
      const error = failure();
      this.attempts.push({
        op,
        target,
        installationId: inst.id,
        error: (error as { code?: string }).code ?? error.name,
      });
      throw error;
    }
    this.attempts.push({ op, target, installationId: inst.id, error: null });
    return run();
  }

  private accept(send: FakeSend): void {
    this.sent.push(send);
    const ready = this.waiters.filter((w) => this.sent.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.sent.length < w.count);
    for (const w of ready) w.resolve();
  }

  private ref(channelId: string): MessageRef {
    this.nextId += 1;
    return { channelId, messageId: `m${this.nextId}` };
  }

  async postToChannel(inst: InstallationRef, channelId: string, message: Message): Promise<MessageRef> {
    const target = `channel:${channelId}`;
    return this.call('channel', target, inst, () => {
      const ref = this.ref(channelId);
      this.accept({ op: 'channel', target, installationId: inst.id, message, ref });
      return ref;
    });
  }

  async postToUser(inst: InstallationRef, userId: string, message: Message): Promise<MessageRef> {
    const target = `user:${userId}`;
    return this.call('user', target, inst, () => {
      const ref = this.ref(`D-${userId}`);
      this.accept({ op: 'user', target, installationId: inst.id, message, ref });
      return ref;
    });
  }

  async postToGroup(inst: InstallationRef, userIds: string[], message: Message): Promise<MessageRef> {
    const target = `group:${userIds.join(',')}`;
    return this.call('group', target, inst, () => {
      const ref = this.ref(`G-${userIds.join('-')}`);
      this.accept({ op: 'group', target, installationId: inst.id, message, ref });
      return ref;
    });
  }

  async postEphemeral(inst: InstallationRef, channelId: string, userId: string, message: Message): Promise<void> {
    const target = `ephemeral:${channelId}/${userId}`;
    this.call('ephemeral', target, inst, () => {
      this.accept({ op: 'ephemeral', target, installationId: inst.id, message, ref: null });
    });
  }

  async updateMessage(inst: InstallationRef, ref: MessageRef, message: Message): Promise<void> {
    const target = `update:${ref.channelId}/${ref.messageId}`;
    this.call('update', target, inst, () => {
      this.accept({ op: 'update', target, installationId: inst.id, message, ref });
    });
  }

  async openForm(inst: InstallationRef, trigger: FormTrigger, form: Form): Promise<void> {
    this.forms.push({ installationId: inst.id, trigger, form });
  }

  async getUser(_inst: InstallationRef, userId: string): Promise<PlatformUser | null> {
    return this.users.get(userId) ?? null;
  }

  async listChannelMembers(_inst: InstallationRef, channelId: string): Promise<PlatformUser[]> {
    return (this.channelMembers.get(channelId) ?? []).map(
      (id) => this.users.get(id) ?? { id, displayName: id, isBot: false, isDeleted: false, isAdmin: false },
    );
  }
}
