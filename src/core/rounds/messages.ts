/** The messages of a pairing round: the group intro, the check-in, the channel announcement. */
import { translator } from '../../messages/i18n.js';
import { actions, button, context, type Message, mention, section } from '../../messages/model.js';
import { starterText } from '../../messages/starters.js';
import type { Locale, Member, Network, Organisation } from '../types.js';
import type { CheckInAnswer, GroupReason } from './ports.js';

export const CHECKIN_ANSWER = 'checkin.answer';

function memberLine(t: ReturnType<typeof translator>, m: Member, orgs: Map<string, Organisation>): string {
  const parts = [`*${mention(m.platformUserId, m.displayName)}*`];
  if (m.nickname) parts.push(t('intro.nickname', { nickname: m.nickname }));
  const details = [m.organisationId ? orgs.get(m.organisationId)?.name : undefined, m.role ?? undefined].filter(
    (x): x is string => Boolean(x),
  );
  const line = `• ${parts.join(' ')}${details.length > 0 ? `: ${details.join(', ')}` : ''}`;
  return m.canShare ? `${line}\n   _${t('intro.canShare', { topics: m.canShare })}_` : line;
}

/**
 * One intro per group, in the group conversation. Its language: the network's, unless every
 * member of the group has another language of their own in common.
 */
export function groupLocale(network: Network, members: Member[]): Locale {
  const own = new Set(members.map((m) => m.locale ?? network.locale));
  return own.size === 1 ? [...own][0]! : network.locale;
}

export function introMessage(network: Network, members: Member[], reason: GroupReason, orgs: Organisation[]): Message {
  const locale = groupLocale(network, members);
  const t = translator(locale);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const why: string[] = [];
  if (reason.crossOrganisation) why.push(t('intro.why.crossOrganisation'));
  if (reason.sharedTopics.length > 0) why.push(t('intro.why.topics', { topics: reason.sharedTopics.join(', ') }));
  return {
    text: `${t('intro.title')} ${members.map((m) => m.displayName).join(', ')}`,
    blocks: [
      { type: 'header', text: t('intro.title') },
      section(`${t('intro.lead')}\n${members.map((m) => memberLine(t, m, byId)).join('\n')}`),
      ...(why.length > 0 ? [section(why.join('\n'))] : []),
      section(t('intro.starter', { starter: starterText(reason.starter, locale) })),
      context(`${t('intro.meet')} ${t('intro.checkInLater')}`),
    ],
  };
}

export function checkInMessage(network: Network, member: Member, others: Member[], groupId: string): Message {
  const t = translator(member.locale ?? network.locale);
  const names = others.map((o) => mention(o.platformUserId, o.displayName)).join(', ');
  const value = (answer: CheckInAnswer) => `${groupId}:${answer}`;
  return {
    text: t('checkin.question', { names: others.map((o) => o.displayName).join(', ') }),
    blocks: [
      section(t('checkin.question', { names })),
      actions(
        button(t('checkin.yes'), CHECKIN_ANSWER, value('yes'), 'primary'),
        button(t('checkin.notYet'), CHECKIN_ANSWER, value('not_yet')),
        button(t('checkin.skipped'), CHECKIN_ANSWER, value('skipped')),
      ),
    ],
  };
}

export function roundAnnouncement(
  network: Network,
  round: { number: number; groups: number; people: number },
  notes: Array<{ member: Member; note: string }>,
): Message {
  const t = translator(network.locale);
  const text = t('round.announce', round);
  const blocks: Message['blocks'] = [section(text)];
  if (notes.length > 0) {
    const lines = notes.map((n) => `• ${mention(n.member.platformUserId, n.member.displayName)}: “${n.note}”`);
    blocks.push(section(`${t('round.notes.title')}\n${lines.join('\n')}`));
  }
  return { text, blocks };
}
