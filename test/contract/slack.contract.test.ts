/**
 * The Slack adapter passes the adapter contract: the real Bolt app over signed HTTP, against the
 * fake Slack Web API, reading back what each person sees there.
 */
import { afterAll, expect } from 'vitest';
import { unwrapFormState } from '../../adapters/slack/form-state.js';
import { toPlatformUser } from '../../adapters/slack/users.js';
import { backends } from '../support/db.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { bootSlackStack, modalFields, type SlackStack, slackButtons, slackText } from '../support/slack-stack.js';
import { type AdapterHarness, adapterContract, type Shown } from './suite.js';

const PEOPLE = [
  { id: 'UCOORD', name: 'carla', displayName: 'Carla Coördinator', locale: 'nl-NL' },
  { id: 'UNL1', name: 'nina', displayName: 'Nina Nederland', locale: 'nl-NL' },
  { id: 'UEN', name: 'emma', displayName: 'Emma English', locale: 'en-GB' },
  { id: 'UNL2', name: 'otto', displayName: 'Otto Overig', locale: 'nl-NL' },
];

const stacks: SlackStack[] = [];
afterAll(() => {
  // No message Klik sent in the whole suite was refused by Slack's block validation.
  for (const s of stacks) expect(s.fake.rejections).toEqual([]);
});

async function slackHarness(backend: 'pglite' | 'postgres'): Promise<AdapterHarness> {
  const stack = await bootSlackStack({
    backend,
    seed: (fake, team) => {
      for (const p of PEOPLE) fake.addUser({ ...p, teamId: team.id, tz: 'Europe/Amsterdam' });
      fake.addChannel({ id: 'CCONTRACT', teamId: team.id, name: 'contract', members: PEOPLE.map((p) => p.id) });
      fake.addChannel({
        id: 'CNOKLIK',
        teamId: team.id,
        name: 'zonder-klik',
        members: ['UCOORD'],
        botInChannel: false,
      });
    },
  });
  stacks.push(stack);
  const { fake, driver } = stack;
  /** The message each person saw last, so a click finds its button. */
  const lastShown = new Map<string, FakeMessage>();

  const shownFrom = (
    userId: string,
    answer: { text: string; blocks: Record<string, unknown>[] } | undefined,
    modalBefore: string | undefined,
    alwaysForm = false,
  ): Shown => {
    const modal = fake.modalOf(userId);
    const showForm = modal && (alwaysForm || modal.viewId !== modalBefore);
    return {
      text: answer ? slackText(answer) : '',
      buttons: answer
        ? slackButtons(answer.blocks).map(({ actionId, value, label }) => ({ actionId, value, label }))
        : [],
      ...(showForm && modal
        ? {
            form: {
              formId: String(modal.view.callback_id),
              fieldIds: modalFields(modal.view).map((f) => f.id),
              errors: modal.errors,
            },
          }
        : {}),
    };
  };

  const latestEphemeral = (userId: string, channelId?: string) => {
    const list = fake.ephemerals(userId, channelId);
    return list[list.length - 1];
  };

  const textsOf = (messages: FakeMessage[]) => messages.map((m) => slackText(m));

  return {
    world: {
      channel: 'CCONTRACT',
      channelWithoutBot: 'CNOKLIK',
      coordinator: 'UCOORD',
      dutchMember: 'UNL1',
      englishMember: 'UEN',
      otherMember: 'UNL2',
    },
    async command(userId, channelId, text) {
      const modalBefore = fake.modalOf(userId)?.viewId;
      const result = await driver.command(userId, channelId, text);
      expect(result.status).toBe(200);
      const shown = latestEphemeral(userId, channelId);
      if (shown) lastShown.set(userId, shown);
      return shownFrom(userId, driver.lastResponse(result.responseUrl), modalBefore);
    },
    async click(userId, actionId) {
      const last = lastShown.get(userId);
      const message = last ? fake.findMessage(last.ts) : undefined;
      if (!message) throw new Error(`${userId} has seen nothing to click`);
      const modalBefore = fake.modalOf(userId)?.viewId;
      const result = await driver.click(userId, message, actionId);
      expect(result.status).toBe(200);
      const answer = driver.lastResponse(result.responseUrl);
      return shownFrom(userId, answer, modalBefore);
    },
    async submitForm(userId, values) {
      const modal = fake.modalOf(userId);
      if (!modal) throw new Error(`${userId} has no open form`);
      const { channelId } = unwrapFormState(String(modal.view.private_metadata ?? ''));
      const before = fake.ephemerals(userId).length;
      const result = await driver.submit(userId, values);
      expect(result.status).toBe(200);
      const after = fake.ephemerals(userId);
      const answer = after.length > before ? after[after.length - 1] : undefined;
      if (answer && (!channelId || answer.channel === channelId)) lastShown.set(userId, answer);
      return shownFrom(userId, answer, undefined, true);
    },
    async deliver() {
      await stack.deliver();
      // Klik paces posts to one channel at one a second: let a paced post come due.
      stack.clock.advance(1_100);
      await stack.deliver();
    },
    async channelTexts(channelId) {
      return textsOf(fake.channelMessages(channelId));
    },
    async directTexts(userId) {
      const dm = fake.dmOf(userId);
      return dm ? textsOf(fake.channelMessages(dm.id)) : [];
    },
    async groupTexts(userIds) {
      const group = fake.groupOf(userIds);
      return group ? textsOf(fake.channelMessages(group.id)) : [];
    },
    async groups() {
      return [...fake.channels.values()]
        .filter((c) => c.kind === 'mpim')
        .map((c) => ({
          memberIds: [...c.members].filter((m) => !fake.users.get(m)?.isBot),
          texts: textsOf(fake.channelMessages(c.id)),
        }));
    },
    async enqueueGroupMessage(userIds, key, text) {
      await stack.store.transaction(async (tx) => {
        const installation = await tx.installations.ensure('slack', stack.team.id);
        const memberIds: string[] = [];
        for (const id of userIds) {
          const u = fake.users.get(id);
          if (!u) throw new Error(`no user ${id}`);
          const user = toPlatformUser(
            { id: u.id, name: u.name, ...(u.displayName ? { profile: { display_name: u.displayName } } : {}) },
            u.id,
          );
          memberIds.push((await tx.members.upsertFromPlatform(installation.id, user)).id);
        }
        await tx.outbox.enqueue({
          installationId: installation.id,
          key,
          target: { kind: 'group', memberIds },
          message: { text, blocks: [{ type: 'section', text }] },
        });
      });
    },
    close: () => stack.close(),
  };
}

for (const backend of backends()) adapterContract(`slack on ${backend}`, () => slackHarness(backend));
