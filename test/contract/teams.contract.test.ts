/**
 * The Teams adapter passes the adapter contract: the real CloudAdapter over HTTP, against the fake
 * Bot Connector, reading back what each person sees in Teams.
 *
 * How Teams differs, and how the harness reads it:
 * - Teams has no ephemeral messages: Klik answers a person in their 1:1 chat with it (Klik is
 *   pre-installed for every member, as the README asks). `directTexts` lists what Klik sent a
 *   person on its own (through the outbox), not the answers to their own requests, which in Slack
 *   would have been ephemeral;
 * - Teams bots cannot create group chats: a "group" is the set of members who each received the
 *   same intro in their 1:1 chat, with a deep link opening a group chat with all of them (the
 *   harness groups by the link's users); its texts are the intro texts one member received.
 */
import { afterAll, expect } from 'vitest';
import { backends } from '../support/db.js';
import { cardButtons, cardForm, cardText, deepLinkUsers, type FakePosted } from '../support/fake-bot-connector.js';
import { bootTeamsStack, type FakeConversation, TENANT, type TeamsStack } from '../support/teams-stack.js';
import { type AdapterHarness, adapterContract, type Shown } from './suite.js';

const PEOPLE = [
  { aad: 'aad-coord', name: 'Carla Coördinator', locale: 'nl-NL' },
  { aad: 'aad-nina', name: 'Nina Nederland', locale: 'nl-NL' },
  { aad: 'aad-emma', name: 'Emma English', locale: 'en-GB', guest: true },
  { aad: 'aad-otto', name: 'Otto Overig', locale: 'nl-NL' },
];
const TEAM = '19:team-contract@thread.tacv2';
const CHANNEL: FakeConversation = { kind: 'channel', id: '19:contract@thread.tacv2', teamId: TEAM, name: 'contract' };
const NO_KLIK_TEAM = '19:team-noklik@thread.tacv2';
const NO_KLIK: FakeConversation = {
  kind: 'channel',
  id: '19:noklik@thread.tacv2',
  teamId: NO_KLIK_TEAM,
  name: 'zonder-klik',
};

const stacks: TeamsStack[] = [];
afterAll(() => {
  // Every call Klik made to the Bot Connector in the whole suite was accepted.
  for (const s of stacks)
    expect(s.fake.calls.filter((c) => c.status >= 400 && !c.path.includes('members'))).toEqual([]);
});

async function teamsHarness(backend: 'pglite' | 'postgres'): Promise<AdapterHarness> {
  const stack = await bootTeamsStack({
    backend,
    seed: (fake) => {
      for (const [i, p] of PEOPLE.entries()) {
        fake.addUser({
          teamsId: `29:${p.aad}`,
          aadObjectId: p.aad,
          name: p.name,
          upn: `${p.aad.slice(4)}@${p.guest ? 'gast.example' : 'zorg.example'}`,
          userRole: p.guest ? 'guest' : 'user',
          locale: p.locale,
        });
        if (i === 0) fake.teams.set(NO_KLIK_TEAM, [`29:${p.aad}`]);
      }
      fake.teams.set(
        TEAM,
        PEOPLE.map((p) => `29:${p.aad}`),
      );
      fake.botNotIn.add(NO_KLIK_TEAM);
    },
  });
  stacks.push(stack);
  const { fake, driver } = stack;
  driver.channels.set(CHANNEL.id, CHANNEL);
  driver.channels.set(NO_KLIK.id, NO_KLIK);
  expect((await driver.installTeam(TEAM, 'aad-coord')).status).toBe(200);
  for (const p of PEOPLE) expect((await driver.installPersonal(p.aad)).status).toBe(200);

  /** Activities Klik posted in answer to a person's own request (not through the outbox). */
  const answers = new Set<string>();
  const lastShown = new Map<string, string>();
  /** Per updated card: how many of its new versions requests have been shown so far. */
  const claimed = new Map<string, number>();

  async function act(userId: string, run: () => Promise<{ status: number }>): Promise<Shown> {
    const postedBefore = fake.posted.length;
    const versions = new Map(fake.posted.map((p) => [p.id, p.history.length]));
    const result = await run();
    expect(result.status).toBe(200);
    const fresh = fake.posted.slice(postedBefore);
    for (const p of fresh) answers.add(p.id);
    const mine = (p: FakePosted) => driver.personalMessages(userId).some((m) => m.id === p.id);
    // A card updated since: each request that updated it is shown one new version, in order
    // (two clicks at once each see their own update).
    let shown: { id: string; activity: Record<string, unknown> } | undefined = fresh.filter(mine).pop();
    for (const p of fake.posted) {
      const before = versions.get(p.id);
      if (before === undefined || before >= p.history.length || !mine(p)) continue;
      const all = [...p.history, p.activity];
      const taken = claimed.get(p.id) ?? before;
      const version = all[taken + 1];
      if (version) {
        claimed.set(p.id, taken + 1);
        shown = { id: p.id, activity: version };
      }
    }
    if (!shown) return { text: '', buttons: [] };
    lastShown.set(userId, shown.id);
    const form = cardForm(shown.activity);
    return {
      text: cardText(shown.activity),
      buttons: cardButtons(shown.activity).map(({ actionId, value, label }) => ({ actionId, value, label })),
      ...(form ? { form: { formId: form.formId, fieldIds: form.fields.map((f) => f.id), errors: form.errors } } : {}),
    };
  }

  const textsOf = (posted: FakePosted[]) => posted.map((p) => cardText(p.activity));

  async function allGroups(): Promise<Array<{ memberIds: string[]; texts: string[] }>> {
    const byUpns = new Map<string, { memberIds: string[]; texts: Map<string, string[]> }>();
    for (const p of PEOPLE) {
      for (const m of driver.personalMessages(p.aad)) {
        const upns = deepLinkUsers(m.activity);
        if (!upns) continue;
        const key = [...upns].sort().join(',');
        const memberIds = upns.map((u) => [...fake.users.values()].find((x) => x.upn === u)?.aadObjectId ?? u).sort();
        const group = byUpns.get(key) ?? { memberIds, texts: new Map() };
        group.texts.set(p.aad, [...(group.texts.get(p.aad) ?? []), cardText(m.activity)]);
        byUpns.set(key, group);
      }
    }
    return [...byUpns.values()].map((g) => ({
      memberIds: g.memberIds,
      texts: g.texts.get(g.memberIds[0] as string) ?? [],
    }));
  }

  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

  return {
    world: {
      channel: CHANNEL.id,
      channelWithoutBot: NO_KLIK.id,
      coordinator: 'aad-coord',
      dutchMember: 'aad-nina',
      englishMember: 'aad-emma',
      otherMember: 'aad-otto',
    },
    command(userId, channelId, text) {
      const conv = driver.channels.get(channelId) ?? driver.conversationOf(channelId);
      return act(userId, () => driver.message(userId, conv, text));
    },
    click(userId, actionId) {
      const card = fake.find(lastShown.get(userId) ?? '');
      if (!card) throw new Error(`${userId} has seen nothing to click`);
      const button = cardButtons(card.activity).find((b) => b.actionId === actionId);
      if (!button) throw new Error(`no button ${actionId}`);
      return act(userId, () => driver.post(driver.submitActivity(userId, card, button.data)));
    },
    submitForm(userId, values) {
      const card = [...driver.personalMessages(userId)].reverse().find((p) => cardForm(p.activity));
      const form = card ? cardForm(card.activity) : undefined;
      if (!card || !form) throw new Error(`${userId} has no open form`);
      const data: Record<string, unknown> = { klik: 'form', formId: form.formId, state: form.state };
      for (const f of form.fields) data[`field.${f.id}`] = values[f.id] ?? f.initial;
      return act(userId, () => driver.post(driver.submitActivity(userId, card, data)));
    },
    async deliver() {
      await stack.deliver();
      stack.clock.advance(1_100);
      await stack.deliver();
    },
    async channelTexts(channelId) {
      return textsOf(fake.messages(channelId));
    },
    async directTexts(userId) {
      return textsOf(driver.personalMessages(userId).filter((p) => !answers.has(p.id) && !deepLinkUsers(p.activity)));
    },
    async groupTexts(userIds) {
      return (await allGroups()).find((g) => sameSet(g.memberIds, userIds))?.texts ?? [];
    },
    groups: allGroups,
    async enqueueGroupMessage(userIds, key, text) {
      await stack.store.transaction(async (tx) => {
        const installation = await tx.installations.ensure('teams', TENANT);
        const memberIds: string[] = [];
        for (const id of userIds) {
          const u = driver.user(id);
          const member = await tx.members.upsertFromPlatform(installation.id, {
            id: u.aadObjectId,
            displayName: u.name,
            isBot: false,
            isDeleted: false,
            isAdmin: false,
          });
          memberIds.push(member.id);
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

for (const backend of backends()) adapterContract(`teams on ${backend}`, () => teamsHarness(backend));
