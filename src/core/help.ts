import { type Translator, translator } from '../messages/i18n.js';
import { context, deepFreeze, type Message, section } from '../messages/model.js';
import type { Locale } from './types.js';

/** The command words shown in help, in the member's language. */
const WORDS: Record<Locale, Record<string, string>> = {
  en: {
    help: 'help',
    profile: 'profile',
    join: 'join` / `leave',
    pause: 'pause 2w` / `resume',
    tip: 'tip <text>',
    tips: 'tips [words or #tag]',
    avoid: 'avoid @name',
    poll: 'poll "<title>" <dates>',
    orgs: 'org list',
    myData: 'my-data` / `forget-me',
    setup: 'setup',
    settings: 'settings',
    coordinator: 'coordinator add @name',
    orgAdd: 'org add <name>',
    pairNow: 'pair now',
    skip: 'skip round` / `pause network <date>',
    ask: 'ask "<question>"',
    stats: 'stats` / `dashboard',
    export: 'export',
  },
  nl: {
    help: 'hulp',
    profile: 'profiel',
    join: 'doe-mee` / `stop',
    pause: 'pauze 2 weken` / `hervat',
    tip: 'tip <tekst>',
    tips: 'tips [woorden of #label]',
    avoid: 'niet-met @naam',
    poll: 'prikker "<titel>" <data>',
    orgs: 'organisaties',
    myData: 'mijn-gegevens` / `vergeet-mij',
    setup: 'start',
    settings: 'instellingen',
    coordinator: 'coordinator toevoegen @naam',
    orgAdd: 'organisatie toevoegen <naam>',
    pairNow: 'koppel nu',
    skip: 'sla over` / `pauzeer netwerk <datum>',
    ask: 'vraag "<vraag>"',
    stats: 'statistiek` / `dashboard',
    export: 'exporteer',
  },
};

const MEMBER_CMDS = ['help', 'profile', 'join', 'pause', 'avoid', 'tip', 'tips', 'poll', 'orgs', 'myData'] as const;
const COORD_CMDS = ['setup', 'settings', 'coordinator', 'orgAdd', 'pairNow', 'skip', 'ask', 'stats', 'export'] as const;

const made = new Map<Locale, Message>();

/** The help text in one language: the same every time, so made once and frozen. */
export function helpMessage(locale: Locale): Message {
  let message = made.get(locale);
  if (!message) {
    message = deepFreeze(buildHelp(translator(locale), locale));
    made.set(locale, message);
  }
  return message;
}

function buildHelp(t: Translator, locale: Locale): Message {
  const words = WORDS[locale];
  const line = (cmd: (typeof MEMBER_CMDS)[number] | (typeof COORD_CMDS)[number]) =>
    `• \`/klik ${words[cmd]}\`: ${t(`help.cmd.${cmd}`)}`;
  return {
    text: `${t('help.title')}. ${t('help.intro')}`,
    blocks: [
      { type: 'header', text: t('help.title') },
      section(t('help.intro')),
      section(`${t('help.members')}\n${MEMBER_CMDS.map(line).join('\n')}`),
      section(`${t('help.coordinators')}\n${COORD_CMDS.map(line).join('\n')}`),
      context(t('help.footer')),
    ],
  };
}
