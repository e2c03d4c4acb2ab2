/**
 * The App Home tab: the member's networks with their pairing status and a pause / resume button
 * each, and their profile as Klik knows it. Built as a neutral message and rendered by render.ts.
 */
import type { HomeView } from '@slack/types';
import { meetingWhen } from '../../src/core/meetings/announcement.js';
import type { MemberOverview } from '../../src/core/members/overview.js';
import type { Locale } from '../../src/core/types.js';
import { formatLongDate, translator } from '../../src/messages/i18n.js';
import { type Block, button, context, type Message, section } from '../../src/messages/model.js';
import { renderSlackMessage } from './render.js';
import { type SlackTexts, slackTexts } from './texts.js';

export const HOME_PAUSE = 'home.pause';
export const HOME_RESUME = 'home.resume';
export const HOME_JOIN = 'home.join';

/** The command each home button stands for, run in the network's channel. */
export const HOME_COMMANDS: Record<string, string> = {
  [HOME_PAUSE]: 'pause 2w',
  [HOME_RESUME]: 'resume',
  [HOME_JOIN]: 'join',
};

const escapeMarkup = (s: string) => s.replace(/[<>[\]*_`]/g, '');

function networkBlocks(t: SlackTexts, locale: Locale, entry: MemberOverview['networks'][number]): Block[] {
  const { network, membership } = entry;
  const name = `*${escapeMarkup(network.name)}*`;
  if (membership.status === 'left') {
    return [section(`${name}\n${t.homeLeft}`, button(t.homeJoin, HOME_JOIN, network.channelId))];
  }
  if (membership.status === 'paused' && membership.pausedUntil) {
    const until = formatLongDate(membership.pausedUntil, locale, network.timezone);
    return [section(`${name}\n${t.homePaused(until)}`, button(t.homeResume, HOME_RESUME, network.channelId))];
  }
  return [section(`${name}\n${t.homeActive}`, button(t.homePause, HOME_PAUSE, network.channelId))];
}

/** The member's upcoming meetings with their answer (none: the section is left out). */
function meetingBlocks(overview: MemberOverview, locale: Locale): Block[] {
  const meetings = overview.meetings ?? [];
  if (meetings.length === 0) return [];
  const t = translator(locale);
  const status = {
    going: t('meeting.status.going'),
    maybe: t('meeting.status.maybe'),
    waitlist: t('meeting.status.waitlist'),
  };
  const lines = meetings.map(({ meeting, status: s, timezone }) =>
    t('meeting.home.item', {
      title: escapeMarkup(meeting.title),
      when: meetingWhen(t, meeting, locale, timezone),
      status: s === 'not_going' ? '' : status[s],
    }),
  );
  return [{ type: 'divider' }, section(`${t('meeting.home.title')}\n${lines.join('\n')}`)];
}

export function homeMessage(overview: MemberOverview, locale: Locale, notice?: string): Message {
  const t = slackTexts(locale);
  const m = overview.member;
  const value = (v: string | null | undefined) => (v?.trim() ? escapeMarkup(v) : t.homeUnknown);
  const blocks: Block[] = [
    { type: 'header', text: t.homeTitle },
    ...(notice ? [section(notice), { type: 'divider' as const }] : []),
    section(t.homeIntro),
    { type: 'divider' },
    section(t.homeNetworks),
    ...(overview.networks.length === 0
      ? [section(t.homeNone)]
      : overview.networks.slice(0, 20).flatMap((n) => networkBlocks(t, locale, n))),
    ...meetingBlocks(overview, locale),
    { type: 'divider' },
    section(t.homeProfile),
    {
      type: 'fields',
      fields: [
        { label: t.homeName, value: value(m?.displayName) },
        { label: t.homeOrganisation, value: value(overview.organisationName) },
        { label: t.homeRole, value: value(m?.role) },
        { label: t.homeNickname, value: value(m?.nickname) },
        { label: t.homeCanShare, value: value(m?.canShare) },
        { label: t.homeWantsToLearn, value: value(m?.wantsToLearn) },
      ],
    },
    context(t.homeProfileHint),
    context(t.homeHelp),
  ];
  return { text: t.homeTitle, blocks };
}

export function homeView(overview: MemberOverview, locale: Locale, notice?: string): HomeView {
  const { blocks } = renderSlackMessage(homeMessage(overview, locale, notice));
  return { type: 'home', blocks };
}
