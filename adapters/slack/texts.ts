/**
 * The few texts only the Slack adapter shows (the App Home tab, a refused workspace), in Dutch and
 * English. Everything the core says comes from the core's catalog.
 */
import type { Locale } from '../../src/core/types.js';

const en = {
  notInstalled:
    'Klik is not installed in this workspace (any more). Ask a workspace admin to install it again, then try once more.',
  formElsewhere: 'This works in a form: type the command as `/klik …` to open it.',
  homeTitle: 'Klik',
  homeIntro: 'Klik keeps your learning network alive: meet someone new, share tips, plan meetings.',
  homeNetworks: '*Your networks*',
  homeNone: 'You are not in a Klik network yet. A coordinator starts one with `/klik setup` in a channel.',
  homeActive: 'taking part in pairing',
  homePaused: (until: string) => `pairing paused until ${until}`,
  homeLeft: 'not taking part in pairing',
  homePause: 'Pause 2 weeks',
  homeResume: 'Resume',
  homeJoin: 'Take part again',
  homeProfile: '*Your profile*',
  homeName: 'Name',
  homeOrganisation: 'Organisation',
  homeRole: 'Role',
  homeCanShare: 'Can share',
  homeWantsToLearn: 'Wants to learn',
  homeNickname: 'Nickname',
  homeUnknown: '–',
  homeProfileHint: 'Change your profile with `/klik profile` in your network’s channel.',
  homeHelp: 'Type `/klik help` in any channel for all commands.',
};

type Texts = {
  [K in keyof typeof en]: (typeof en)[K] extends string ? string : (typeof en)[K];
};

const nl: Texts = {
  notInstalled:
    'Klik is niet (meer) geïnstalleerd in deze werkruimte. Vraag een beheerder om Klik opnieuw te installeren en probeer het daarna nog eens.',
  formElsewhere: 'Dit gaat met een formulier: typ de opdracht als `/klik …` om het te openen.',
  homeTitle: 'Klik',
  homeIntro: 'Klik houdt je leernetwerk levend: iemand nieuws ontmoeten, tips delen, bijeenkomsten plannen.',
  homeNetworks: '*Jouw netwerken*',
  homeNone: 'Je zit nog niet in een Klik-netwerk. Een coördinator start er een met `/klik start` in een kanaal.',
  homeActive: 'doet mee met koppelen',
  homePaused: (until: string) => `koppelen gepauzeerd tot ${until}`,
  homeLeft: 'doet niet mee met koppelen',
  homePause: '2 weken pauze',
  homeResume: 'Hervatten',
  homeJoin: 'Weer meedoen',
  homeProfile: '*Jouw profiel*',
  homeName: 'Naam',
  homeOrganisation: 'Organisatie',
  homeRole: 'Rol',
  homeCanShare: 'Kan delen',
  homeWantsToLearn: 'Wil leren',
  homeNickname: 'Bijnaam',
  homeUnknown: '–',
  homeProfileHint: 'Pas je profiel aan met `/klik profiel` in het kanaal van je netwerk.',
  homeHelp: 'Typ `/klik hulp` in een kanaal voor alle opdrachten.',
};

export type SlackTexts = Texts;

export function slackTexts(locale: Locale): SlackTexts {
  return locale === 'en' ? en : nl;
}

/** Both languages at once, for when Klik cannot know whom it is talking to. */
export function bilingual(key: 'notInstalled' | 'formElsewhere'): string {
  return `${nl[key]}\n${en[key]}`;
}
