/** The local adapter (behind the playground) passes the adapter contract. */
import type { Message } from '../../src/messages/model.js';
import { backends } from '../support/db.js';
import { bootLocalStack, textOf } from '../support/local-stack.js';
import { type AdapterHarness, adapterContract, type Shown } from './suite.js';

function buttonsOf(message: Message): Shown['buttons'] {
  return message.blocks.flatMap((b) =>
    b.type === 'actions'
      ? b.elements.flatMap((e) =>
          e.type === 'button' ? [{ actionId: e.actionId, value: e.value, label: e.label }] : [],
        )
      : [],
  );
}

async function localHarness(backend: 'pglite' | 'postgres'): Promise<AdapterHarness> {
  const people = [
    { id: 'U-coord', displayName: 'Carla Coördinator', locale: 'nl-NL' },
    { id: 'U-nl1', displayName: 'Nina Nederland', locale: 'nl-NL' },
    { id: 'U-en', displayName: 'Emma English', locale: 'en-GB' },
    { id: 'U-nl2', displayName: 'Otto Overig', locale: 'nl-NL' },
  ];
  // Tuesday 3 March 2026, 10:00 in Amsterdam: inside the allowed hours.
  const stack = await bootLocalStack({
    backend,
    start: '2026-03-03T09:00:00Z',
    seed: (ws) => {
      for (const p of people) ws.addUser(p);
      ws.addChannel({ name: 'contract', memberIds: people.map((p) => p.id), botInChannel: true });
      ws.addChannel({ name: 'zonder-klik', memberIds: ['U-coord'], botInChannel: false });
    },
  });
  const { workspace, adapter, store } = stack;
  const channel = workspace.findChannel('contract')!;
  const noBot = workspace.findChannel('zonder-klik')!;
  /** The last private message each user saw, so a click finds its button. */
  const lastShown = new Map<string, { messageId: string; conversationId: string }>();

  const shownLatest = (userId: string, conversationId: string): Shown => {
    const ephemerals = workspace.listEphemerals(userId, conversationId);
    const latest = ephemerals[ephemerals.length - 1];
    const form = workspace.getOpenForm(userId);
    if (latest) lastShown.set(userId, { messageId: latest.id, conversationId });
    return {
      text: latest ? textOf(latest.message) : '',
      buttons: latest ? buttonsOf(latest.message) : [],
      ...(form
        ? { form: { formId: form.form.formId, fieldIds: form.form.fields.map((f) => f.id), errors: form.errors ?? {} } }
        : {}),
    };
  };
  const textsIn = (conversationId: string) => workspace.listMessages(conversationId).map((m) => textOf(m.message));

  return {
    world: {
      channel: channel.id,
      channelWithoutBot: noBot.id,
      coordinator: 'U-coord',
      dutchMember: 'U-nl1',
      englishMember: 'U-en',
      otherMember: 'U-nl2',
    },
    async command(userId, channelId, text) {
      await adapter.command(userId, channelId, `/klik ${text}`);
      return shownLatest(userId, channelId);
    },
    async click(userId, actionId) {
      const last = lastShown.get(userId);
      if (!last) throw new Error(`${userId} has seen nothing to click`);
      const message = workspace.findEphemeral(userId, last.messageId) ?? workspace.findMessage(last.messageId);
      const button = message ? buttonsOf(message.message).find((b) => b.actionId === actionId) : undefined;
      if (!button) throw new Error(`no button ${actionId} on what ${userId} saw last`);
      await adapter.click(userId, last.messageId, button.actionId, button.value);
      return shownLatest(userId, last.conversationId);
    },
    async submitForm(userId, values) {
      const open = workspace.getOpenForm(userId);
      if (!open) throw new Error(`${userId} has no open form`);
      const current = Object.fromEntries(open.form.fields.map((f) => [f.id, f.initial ?? '']));
      await adapter.submit(userId, open.form.formId, open.form.state, { ...current, ...values });
      return shownLatest(userId, open.channelId ?? workspace.dmFor(userId).id);
    },
    async deliver() {
      await stack.deliver();
    },
    async channelTexts(channelId) {
      return textsIn(channelId);
    },
    async directTexts(userId) {
      return textsIn(workspace.dmFor(userId).id);
    },
    async groupTexts(userIds) {
      return textsIn(workspace.groupFor(userIds).id);
    },
    async groups() {
      const seen = new Set<string>();
      return people
        .flatMap((p) => workspace.listConversationsFor(p.id))
        .filter((c) => c.kind === 'group' && !seen.has(c.id) && seen.add(c.id))
        .map((c) => ({ memberIds: [...c.memberIds], texts: textsIn(c.id) }));
    },
    async enqueueGroupMessage(userIds, key, text) {
      await store.transaction(async (tx) => {
        const installation = await tx.installations.ensure('local', 'local');
        const memberIds: string[] = [];
        for (const id of userIds) {
          const user = workspace.getUser(id);
          if (!user) throw new Error(`no user ${id}`);
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

for (const backend of backends()) adapterContract(`local on ${backend}`, () => localHarness(backend));
