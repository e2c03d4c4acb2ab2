/**
 * End to end through the local adapter: a real PGlite database, the real core, the real outbox
 * dispatcher delivering to the in-memory workspace. The adapter types and clicks like a person.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalAdapter } from '../../adapters/local/adapter.js';
import {
  DEMO_CHANNELS,
  DEMO_ORGANISATIONS,
  DEMO_PURPOSE,
  seedDemo,
  setupDemoNetwork,
} from '../../adapters/local/demo.js';
import { LocalPlatform } from '../../adapters/local/platform.js';
import { LocalWorkspace } from '../../adapters/local/workspace.js';
import { createKlik } from '../../src/core/app.js';
import type { Reply } from '../../src/core/inputs.js';
import { SETUP_CANCEL, SETUP_CONFIRM } from '../../src/core/networks/setup.js';
import { silentLogger } from '../../src/core/ports.js';
import type { Button, Message } from '../../src/messages/model.js';
import { bootLocalStack, type LocalStack, textOf } from '../support/local-stack.js';

/** Monday 2 March 2026, 10:30 in Amsterdam. */
const START = '2026-03-02T09:30:00.000Z';
const { network: NETWORK, newNetwork: NEW, coffee: COFFEE } = DEMO_CHANNELS;

function replyText(reply: Reply): string {
  if (reply.kind !== 'message' && reply.kind !== 'update') throw new Error(`expected a message, got ${reply.kind}`);
  return textOf(reply.message);
}

function buttonOf(reply: Reply, actionId: string): Button {
  if (reply.kind !== 'message') throw new Error(`expected a message, got ${reply.kind}`);
  for (const b of reply.message.blocks) {
    if (b.type !== 'actions') continue;
    const found = b.elements.find((e): e is Button => e.type === 'button' && e.actionId === actionId);
    if (found) return found;
  }
  throw new Error(`no button ${actionId}`);
}

describe('local adapter, end to end', () => {
  let w: LocalStack;

  beforeEach(async () => {
    w = await bootLocalStack({ start: START, seed: seedDemo });
  });

  afterEach(async () => {
    await w.close();
  });

  const networkIn = async (channelId: string) => {
    const inst = await w.installationId();
    return w.store.transaction((tx) => tx.networks.findByChannel(inst, channelId));
  };

  it('answers /klik help privately, in Dutch for a Dutch member and in English for an English one', async () => {
    const nl = await w.adapter.command('U-anna', NETWORK, '/klik help');
    expect(nl.kind).toBe('message');
    expect(replyText(nl)).toContain('Klik houdt je leernetwerk levend');

    const en = await w.adapter.command('U-priya', NETWORK, '/klik help');
    expect(replyText(en)).toContain('Klik keeps your learning network alive');
    expect(replyText(en)).not.toContain('Klik houdt je leernetwerk levend');

    // Ephemeral: each sees only their own answer; nothing was posted in the channel.
    const anna = w.workspace.listEphemerals('U-anna', NETWORK);
    expect(anna).toHaveLength(1);
    expect(textOf(anna[0]!.message)).toContain('Klik houdt je leernetwerk levend');
    expect(anna[0]!.command).toBe('/klik help');
    expect(w.workspace.listEphemerals('U-priya', NETWORK)).toHaveLength(1);
    expect(w.workspace.listEphemerals('U-henk', NETWORK)).toHaveLength(0);
    expect(w.workspace.listMessages(NETWORK)).toHaveLength(0);
    expect(await w.deliver()).toBe(0);
  });

  it('setup shows a preview naming the channel members and sends nothing until confirmed', async () => {
    const preview = await w.adapter.command('U-anna', NEW, '/klik setup');
    const text = replyText(preview);
    expect(text).toContain('Klik starten in dit kanaal?');
    for (const name of ['Henk Jansen', 'Fatima el Amrani', 'Sanne Visser', 'Ilse Mulder', 'Priya Ramdin']) {
      expect(text).toContain(name);
    }
    // Not the coordinator herself, not the bot, not people outside the channel.
    expect(text).not.toContain('@Anna de Vries');
    expect(text).not.toContain('@Klik');
    expect(text).not.toContain('Joost Bakker');
    expect(buttonOf(preview, SETUP_CONFIRM).label).toBe('Start Klik');

    expect(await w.deliver()).toBe(0);
    expect(w.workspace.listMessages(NEW)).toHaveLength(0);
    expect(w.workspace.listConversationsFor('U-henk').filter((c) => c.kind === 'dm')).toHaveLength(0);
    expect((await networkIn(NEW))?.state).toBe('pending');
  });

  it('confirm announces in the channel and welcomes each other member by DM, once, even when clicked twice', async () => {
    const preview = await w.adapter.command('U-anna', NEW, '/klik setup');
    const confirm = buttonOf(preview, SETUP_CONFIRM);
    const previewMessage = w.workspace.listEphemerals('U-anna', NEW).at(-1)!;

    const first = await w.adapter.click('U-anna', previewMessage.id, confirm.actionId, confirm.value);
    expect(first.kind).toBe('update');
    expect(replyText(first)).toContain('5 welkomstberichten');
    // The update replaced the preview (the ephemeral), it did not add a message.
    expect(w.workspace.listEphemerals('U-anna', NEW)).toHaveLength(1);
    expect(textOf(w.workspace.listEphemerals('U-anna', NEW)[0]!.message)).toContain('Klik draait');

    const second = await w.adapter.click('U-anna', previewMessage.id, confirm.actionId, confirm.value);
    expect(second.kind).toBe('update');
    expect(replyText(second)).toContain('al gestart');

    expect(await w.deliver()).toBe(6);
    expect(await w.deliver()).toBe(0);

    const posted = w.workspace.listMessages(NEW);
    expect(posted).toHaveLength(1);
    expect(textOf(posted[0]!.message)).toContain('Hallo #nieuw-netwerk!');
    expect(textOf(posted[0]!.message)).toContain('Anna de Vries');

    for (const id of ['U-henk', 'U-fatima', 'U-sanne', 'U-ilse', 'U-priya']) {
      const dm = w.workspace.getConversation(`D-${id}`);
      expect(dm, id).toBeDefined();
      expect(w.workspace.listMessages(`D-${id}`), id).toHaveLength(1);
    }
    expect(textOf(w.workspace.listMessages('D-U-henk')[0]!.message)).toContain('Welkom bij #nieuw-netwerk!');
    expect(textOf(w.workspace.listMessages('D-U-priya')[0]!.message)).toContain('Welcome to #nieuw-netwerk!');
    // The coordinator and people outside the channel get no welcome.
    expect(w.workspace.getConversation('D-U-anna')).toBeUndefined();
    expect(w.workspace.getConversation('D-U-joost')).toBeUndefined();
    expect((await networkIn(NEW))?.state).toBe('active');
  });

  it('cancel sends nothing and removes the pending network', async () => {
    const preview = await w.adapter.command('U-anna', NEW, '/klik setup');
    const cancel = buttonOf(preview, SETUP_CANCEL);
    const previewMessage = w.workspace.listEphemerals('U-anna', NEW).at(-1)!;
    const reply = await w.adapter.click('U-anna', previewMessage.id, cancel.actionId, cancel.value);
    expect(reply.kind).toBe('update');
    expect(replyText(reply)).toContain('er is niets verstuurd');

    expect(await w.deliver()).toBe(0);
    expect(w.workspace.listMessages(NEW)).toHaveLength(0);
    expect(w.workspace.listChannels().length + 0).toBe(3);
    expect(w.workspace.listConversationsFor('U-henk').some((c) => c.kind === 'dm')).toBe(false);
    expect(await networkIn(NEW)).toBeNull();

    // The old confirm button no longer starts anything.
    const confirm = buttonOf(preview, SETUP_CONFIRM);
    const late = await w.adapter.click('U-anna', previewMessage.id, confirm.actionId, confirm.value);
    expect(replyText(late)).toContain('werkt niet meer');
    expect(await w.deliver()).toBe(0);
    expect(await networkIn(NEW)).toBeNull();
  });

  it('setup in a channel Klik is not in explains how to invite it, and creates nothing', async () => {
    const reply = await w.adapter.command('U-anna', COFFEE, '/klik setup');
    expect(reply.kind).toBe('message');
    expect(replyText(reply)).toContain('Klik zit nog niet in dit kanaal');
    expect(await networkIn(COFFEE)).toBeNull();
    expect(await w.deliver()).toBe(0);

    const alias = await w.adapter.command('U-anna', COFFEE, 'start');
    expect(replyText(alias)).toContain('Klik zit nog niet in dit kanaal');

    // After adding Klik, setup works there.
    w.workspace.setBotInChannel(COFFEE, true);
    const preview = await w.adapter.command('U-anna', COFFEE, '/klik setup');
    expect(replyText(preview)).toContain('Joost Bakker');
  });

  it("answers an unknown command with a usage line, in the member's language", async () => {
    const nl = await w.adapter.command('U-henk', NETWORK, '/klik vliegen naar de maan');
    expect(nl.kind).toBe('message');
    expect(replyText(nl)).toContain('ken ik niet');
    expect(replyText(nl)).toContain('/klik hulp');
    const en = await w.adapter.command('U-priya', NETWORK, '/klik fly');
    expect(replyText(en)).toContain("I don't know");
    expect(replyText(en)).toContain('/klik help');
  });

  it('seedDemo and setupDemoNetwork twice make one network with four organisations', async () => {
    seedDemo(w.workspace);
    expect(await setupDemoNetwork(w.adapter)).toBe(true);
    seedDemo(w.workspace);
    expect(await setupDemoNetwork(w.adapter)).toBe(false);

    const inst = await w.installationId();
    const { active, orgs, network } = await w.store.transaction(async (tx) => {
      const network = await tx.networks.findByChannel(inst, NETWORK);
      return {
        network,
        active: await tx.networks.listActive(),
        orgs: network ? await tx.organisations.list(inst, network.id) : [],
      };
    });
    expect(active).toHaveLength(1);
    expect(network?.state).toBe('active');
    expect(network?.purpose).toBe(DEMO_PURPOSE);
    expect(orgs.map((o) => o.name).sort()).toEqual([...DEMO_ORGANISATIONS].sort());

    expect(await w.deliver()).toBe(12);
    expect(w.workspace.listMessages(NETWORK)).toHaveLength(1);
    expect(textOf(w.workspace.listMessages(NETWORK)[0]!.message)).toContain(DEMO_PURPOSE);

    const list = await w.adapter.command('U-kees', NETWORK, '/klik organisaties');
    for (const org of DEMO_ORGANISATIONS) expect(replyText(list)).toContain(org);
  });

  it('a fresh workspace on the same database (a restart) does not set the demo up again', async () => {
    expect(await setupDemoNetwork(w.adapter)).toBe(true);
    await w.deliver();
    const again = new LocalWorkspace({ clock: w.clock });
    seedDemo(again);
    const platform = new LocalPlatform(again);
    const klik = createKlik({
      store: w.store,
      platforms: { local: platform },
      clock: w.clock,
      logger: silentLogger,
      defaults: { locale: 'nl', timezone: 'Europe/Amsterdam' },
      scheduledJobs: [],
    });
    expect(await setupDemoNetwork(new LocalAdapter(klik, again))).toBe(false);
    expect(await w.deliver()).toBe(0);
  });

  it('hands channel joins and leaves to the core', async () => {
    await setupDemoNetwork(w.adapter);
    await w.deliver();
    const inst = await w.installationId();
    const membership = () =>
      w.store.transaction(async (tx) => {
        const network = await tx.networks.findByChannel(inst, NEW);
        const joost = await tx.members.findByPlatformId(inst, 'U-joost');
        return network && joost ? tx.members.getMembership(inst, network.id, joost.id) : null;
      });

    const preview = await w.adapter.command('U-anna', NEW, 'setup');
    const confirm = buttonOf(preview, SETUP_CONFIRM);
    await w.adapter.click(
      'U-anna',
      w.workspace.listEphemerals('U-anna', NEW).at(-1)!.id,
      confirm.actionId,
      confirm.value,
    );

    w.workspace.join(NEW, 'U-joost');
    await w.adapter.idle();
    expect((await membership())?.status).toBe('active');
    await w.deliver();
    // The channel greets the newcomer; the newcomer gets a DM with a profile button.
    const greetings = w.workspace.listMessages(NEW).map((m) => textOf(m.message));
    expect(
      greetings.filter((t) => t.includes('Welkom in het netwerk, @Joost Bakker')),
      greetings.join('\n---\n'),
    ).toHaveLength(1);
    const dm = w.workspace.listMessages(w.workspace.dmFor('U-joost').id).map((m) => textOf(m.message));
    expect(dm.filter((t) => t.includes('Welkom bij #nieuw-netwerk') && t.includes('Profiel invullen'))).toHaveLength(1);

    w.workspace.leave(NEW, 'U-joost');
    await w.adapter.idle();
    expect((await membership())?.status).toBe('left');
  });

  it('refuses input from people and places that do not exist', async () => {
    await expect(w.adapter.command('U-nobody', NETWORK, 'help')).rejects.toThrow(/unknown user/);
    await expect(w.adapter.command('U-anna', 'C-nowhere', 'help')).rejects.toThrow(/unknown conversation/);
    w.workspace.dmFor('U-henk');
    await expect(w.adapter.command('U-anna', 'D-U-henk', 'help')).rejects.toThrow(/unknown conversation/);
    await expect(w.adapter.command('U-henk', 'D-U-henk', 'help')).resolves.toMatchObject({ kind: 'message' });
    await expect(w.adapter.click('U-anna', 'M-404', SETUP_CONFIRM, 'x')).rejects.toThrow(/not found/);
  });
});

describe('local adapter, replies it shows', () => {
  const form = {
    formId: 'f.test',
    title: 'Test',
    submitLabel: 'OK',
    cancelLabel: 'Annuleren',
    fields: [{ type: 'text' as const, id: 'name', label: 'Naam' }],
    state: 's1',
  };
  const note = (text: string): Message => ({ text, blocks: [{ type: 'section', text }] });

  function stubbed(replies: { command?: Reply; action?: Reply; form?: Reply }) {
    const workspace = new LocalWorkspace();
    seedDemo(workspace);
    const seen: string[] = [];
    const adapter = new LocalAdapter(
      {
        async handleCommand(input) {
          seen.push(`command:${input.text}:${input.isDirect}:${input.channelName ?? '-'}:${input.actor.locale}`);
          return replies.command ?? { kind: 'none' };
        },
        async handleAction(input) {
          seen.push(`action:${input.actionId}:${input.messageRef?.channelId}/${input.messageRef?.messageId}`);
          return replies.action ?? { kind: 'none' };
        },
        async handleForm(input) {
          seen.push(`form:${input.formId}:${input.state}:${JSON.stringify(input.values)}`);
          return replies.form ?? { kind: 'none' };
        },
        async handleMemberEvent() {},
        async handleChannelState() {},
      },
      workspace,
    );
    return { workspace, adapter, seen };
  }

  it('builds the inputs like a platform would', async () => {
    const { workspace, adapter, seen } = stubbed({});
    await adapter.command('U-priya', NETWORK, '/klik   tip  Begin klein');
    workspace.dmFor('U-anna');
    await adapter.command('U-anna', 'D-U-anna', 'help');
    expect(seen).toEqual(['command:tip  Begin klein:false:leernetwerk-ouderenzorg:en-GB', 'command:help:true:-:nl-NL']);
  });

  it('opens a form, keeps it open with errors, and closes it with the answer', async () => {
    const { workspace, adapter, seen } = stubbed({ command: { kind: 'form', form } });
    await adapter.command('U-anna', NETWORK, 'profiel');
    expect(workspace.getOpenForm('U-anna')?.form.formId).toBe('f.test');
    expect(workspace.getOpenForm('U-anna')?.channelId).toBe(NETWORK);

    const errors = stubbed({ form: { kind: 'form-errors', errors: { name: 'Vul iets in' } } });
    errors.workspace.openForm('U-anna', form, { channelId: NETWORK, triggerId: 't' });
    const r = await errors.adapter.submit('U-anna', 'f.test', 's1', { name: '' });
    expect(r.kind).toBe('form-errors');
    expect(errors.workspace.getOpenForm('U-anna')?.errors).toEqual({ name: 'Vul iets in' });

    const ok = stubbed({ form: { kind: 'message', message: note('Opgeslagen') } });
    ok.workspace.openForm('U-anna', form, { channelId: NETWORK, triggerId: 't' });
    await ok.adapter.submit('U-anna', 'f.test', 's1', { name: 'Anna' });
    expect(ok.workspace.getOpenForm('U-anna')).toBeUndefined();
    expect(ok.workspace.listEphemerals('U-anna', NETWORK).map((m) => m.message.text)).toEqual(['Opgeslagen']);

    adapter.cancelForm('U-anna');
    expect(workspace.getOpenForm('U-anna')).toBeUndefined();
    expect(seen[0]).toBe('command:profiel:false:leernetwerk-ouderenzorg:nl-NL');
  });

  it('an update replaces the clicked posted message in place; a message reply is ephemeral', async () => {
    const { workspace, adapter, seen } = stubbed({ action: { kind: 'update', message: note('Bijgewerkt') } });
    const posted = workspace.post(NETWORK, note('Origineel'));
    await adapter.click('U-henk', posted.id, 'x.y', 'v');
    expect(seen).toEqual([`action:x.y:${NETWORK}/${posted.id}`]);
    expect(workspace.listMessages(NETWORK).map((m) => m.message.text)).toEqual(['Bijgewerkt']);
    expect(workspace.listMessages(NETWORK)[0]!.updatedAt).not.toBeNull();

    const other = stubbed({ action: { kind: 'message', message: note('Alleen voor jou') } });
    const p2 = other.workspace.post(NETWORK, note('Origineel'));
    await other.adapter.click('U-henk', p2.id, 'x.y', 'v');
    expect(other.workspace.listMessages(NETWORK).map((m) => m.message.text)).toEqual(['Origineel']);
    expect(other.workspace.listEphemerals('U-henk', NETWORK).map((m) => m.message.text)).toEqual(['Alleen voor jou']);
    // Someone else's ephemeral message cannot be clicked.
    const eph = other.workspace.listEphemerals('U-henk', NETWORK)[0]!;
    await expect(other.adapter.click('U-anna', eph.id, 'x.y', 'v')).rejects.toThrow(/not found/);
  });
});
