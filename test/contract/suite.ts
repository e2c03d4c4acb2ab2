/**
 * The adapter contract: behaviours every chat adapter must show, whatever its platform.
 * Each adapter provides a harness that drives it the way its platform would (the local adapter
 * in-process; Slack and Teams over HTTP with their fakes) and reads back what people see.
 * Later features add their cases here, and every adapter then has to pass them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A button as the person sees it. */
export interface ShownButton {
  actionId: string;
  value: string;
  label: string;
}

/** What the acting person sees in answer: text, buttons, or a form. */
export interface Shown {
  text: string;
  buttons: ShownButton[];
  form?: { formId: string; fieldIds: string[]; errors: Record<string, string> };
}

/**
 * The people and places of the contract world:
 * - `channel`: Klik is in it, with the coordinator-to-be, two Dutch members and one English member;
 * - `channelWithoutBot`: Klik is not in it.
 */
export interface ContractWorld {
  channel: string;
  channelWithoutBot: string;
  coordinator: string;
  dutchMember: string;
  englishMember: string;
  otherMember: string;
}

export interface AdapterHarness {
  world: ContractWorld;
  /** `/klik <text>` (or `@Klik <text>`) by a user in a conversation. */
  command(userId: string, channelId: string, text: string): Promise<Shown>;
  /** Clicks the button with this action id on what was last shown to the user. */
  click(userId: string, actionId: string): Promise<Shown>;
  /** Fills in and submits the form open for the user; unspecified fields keep their values. */
  submitForm(userId: string, values: Record<string, string>): Promise<Shown>;
  /** Runs the outbox until it is empty. */
  deliver(): Promise<void>;
  /** Texts posted in a channel, oldest first. */
  channelTexts(channelId: string): Promise<string[]>;
  /** Texts sent to a user in a direct message. */
  directTexts(userId: string): Promise<string[]>;
  /** Texts in the group conversation of exactly these users. */
  groupTexts(userIds: string[]): Promise<string[]>;
  /** Every group conversation Klik opened, with its human members and texts. */
  groups(): Promise<Array<{ memberIds: string[]; texts: string[] }>>;
  /** Queues a group message through the outbox (as pairing intros will). */
  enqueueGroupMessage(userIds: string[], key: string, text: string): Promise<void>;
  close(): Promise<void>;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function adapterContract(name: string, makeHarness: () => Promise<AdapterHarness>): void {
  describe(`adapter contract: ${name}`, () => {
    let h: AdapterHarness;
    let w: ContractWorld;
    beforeAll(async () => {
      h = await makeHarness();
      w = h.world;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('command → answer, in the member’s language, visible only to them', async () => {
      const nl = await h.command(w.dutchMember, w.channel, 'hulp');
      expect(nl.text).toContain('Klik houdt je leernetwerk levend');
      const en = await h.command(w.englishMember, w.channel, 'help');
      expect(en.text).toContain('Klik keeps your learning network alive');
      await h.deliver();
      expect(await h.channelTexts(w.channel)).toEqual([]);
    });

    it('unknown or malformed input gets a short usage line, never silence or a stack trace', async () => {
      const unknown = await h.command(w.dutchMember, w.channel, 'vliegtuig');
      expect(unknown.text).toContain('"vliegtuig" ken ik niet');
      const malformed = await h.command(w.dutchMember, w.channel, 'coordinator toevoegen');
      expect(malformed.text).toContain('/klik coordinator toevoegen @naam');
      for (const shown of [unknown, malformed]) expect(shown.text).not.toMatch(/Error|at \w+ \(/);
    });

    it('a channel without Klik gets how to invite it', async () => {
      const shown = await h.command(w.coordinator, w.channelWithoutBot, 'setup');
      expect(shown.text).toMatch(/nodig|invite|voeg|add/i);
    });

    it('setup: preview first, nothing posted; confirm → one announcement and one welcome each', async () => {
      const preview = await h.command(w.coordinator, w.channel, 'setup');
      expect(preview.buttons.map((b) => b.actionId)).toContain('setup.confirm');
      await h.deliver();
      expect(await h.channelTexts(w.channel)).toEqual([]);

      // A double click: both clicks on the same button, at once.
      const clicks = await Promise.all([
        h.click(w.coordinator, 'setup.confirm'),
        h.click(w.coordinator, 'setup.confirm'),
      ]);
      expect(clicks.some((c) => c.text.includes('Klik draait'))).toBe(true);
      await h.deliver();
      await h.deliver();

      const channel = await h.channelTexts(w.channel);
      expect(channel).toHaveLength(1);
      expect(channel[0]).toContain('heeft Klik in dit kanaal gestart');
      for (const member of [w.dutchMember, w.otherMember]) {
        const dms = await h.directTexts(member);
        expect(dms.filter((t) => t.includes('Welkom bij'))).toHaveLength(1);
      }
      expect((await h.directTexts(w.englishMember)).filter((t) => t.includes('Welcome to'))).toHaveLength(1);
      expect(await h.directTexts(w.coordinator)).toEqual([]);
    });

    it('button → form → result: the settings form validates and saves', async () => {
      const settings = await h.command(w.coordinator, w.channel, 'instellingen');
      expect(settings.text).toContain('Instellingen van');
      const form = await h.click(w.coordinator, 'settings.edit');
      expect(form.form?.formId).toBe('settings.form');
      expect(form.form?.fieldIds).toEqual(expect.arrayContaining(['purpose', 'cadence', 'time', 'quiet-hours']));

      const bad = await h.submitForm(w.coordinator, { time: '25:00' });
      expect(bad.form?.errors.time).toContain('25:00');

      const saved = await h.submitForm(w.coordinator, { time: '10:30', purpose: 'Samen leren over dementie' });
      expect(saved.text).toContain('2 instellingen gewijzigd');
      const after = await h.command(w.coordinator, w.channel, 'instellingen');
      expect(after.text).toContain('10:30');
      expect(after.text).toContain('Samen leren over dementie');
    });

    it('a member who is not a coordinator cannot change settings', async () => {
      const shown = await h.command(w.dutchMember, w.channel, 'instellingen tijd 11:00');
      expect(shown.text).toContain('Alleen een coördinator');
      const after = await h.command(w.coordinator, w.channel, 'instellingen');
      expect(after.text).not.toContain('11:00');
    });

    it('pair now: every member in exactly one group, each group one intro naming them all', async () => {
      const before = await h.groups();
      const shown = await h.command(w.coordinator, w.channel, 'koppel nu');
      expect(shown.text).toContain('2 groepjes gemaakt');
      await h.deliver();
      await h.deliver();
      const fresh = (await h.groups())
        .map((g) => ({
          ...g,
          texts: g.texts.slice(before.find((b) => sameSet(b.memberIds, g.memberIds))?.texts.length ?? 0),
        }))
        .filter((g) => g.texts.length > 0);
      const everyone = [w.coordinator, w.dutchMember, w.englishMember, w.otherMember];
      expect(fresh.flatMap((g) => g.memberIds).sort()).toEqual([...everyone].sort());
      expect(fresh.map((g) => g.memberIds.length)).toEqual([2, 2]);
      for (const g of fresh) {
        expect(g.texts).toHaveLength(1);
        expect(g.texts[0]).toMatch(/Maak kennis|Meet someone new/);
      }
      const channel = await h.channelTexts(w.channel);
      expect(channel.filter((t) => t.includes('Koppelronde 1'))).toHaveLength(1);
    });

    it('group message: one conversation with all of them, delivered once', async () => {
      const group = [w.dutchMember, w.englishMember, w.otherMember];
      await h.enqueueGroupMessage(group, 'contract:group:1', 'Jullie zijn gekoppeld!');
      await h.enqueueGroupMessage(group, 'contract:group:1', 'Jullie zijn gekoppeld!');
      await h.deliver();
      await h.deliver();
      expect(await h.groupTexts(group)).toEqual(['Jullie zijn gekoppeld!']);
    });

    it('tips: a tip is saved, found by a Dutch stem, and an upvote twice counts once', async () => {
      const saved = await h.command(w.dutchMember, w.channel, 'tip Netwerken begint met nieuwsgierig zijn #Start');
      expect(saved.text).toContain('je tip is bewaard');
      expect(saved.text).toContain('#start');
      const found = await h.command(w.otherMember, w.channel, 'tips netwerk');
      expect(found.text).toContain('Netwerken begint met nieuwsgierig zijn');
      expect((await h.click(w.otherMember, 'tip.upvote')).text).toContain('nu 1');
      await h.command(w.otherMember, w.channel, 'tips netwerk');
      expect((await h.click(w.otherMember, 'tip.upvote')).text).toContain('telt één keer');
      const after = await h.command(w.otherMember, w.channel, 'tips #start');
      expect(after.text).toContain('1 duim');
      expect(after.text).not.toContain('2 duimen');
    });
  });
}
