/**
 * Conversation starters for pair introductions, in Dutch and English. Index i is the same
 * question in both languages, so a group's starter is stored once as "starter.<i>".
 */
import type { Locale } from '../core/types.js';

const STARTERS: Record<Locale, readonly string[]> = {
  nl: [
    'Wat is het mooiste compliment dat je ooit van een cliënt kreeg?',
    'Welke kleine verandering op jouw afdeling had een groot effect?',
    'Waar loop je de laatste tijd tegenaan, en wie zou je daarbij kunnen helpen?',
    'Wat zou je de ander graag eens laten zien op jouw werkplek?',
    'Welke tip had je willen krijgen in je eerste jaar in de zorg?',
    'Hoe houden jullie het leuk in het team als het druk is?',
    'Welk idee heb je ooit van een andere organisatie overgenomen?',
    'Waar ben je trots op, deze maand?',
    "Wat doen jullie om nieuwe collega's snel thuis te laten voelen?",
    'Wat zou je willen leren als je een dag mocht meelopen bij de ander?',
    'Welke vraag van cliënten of familie krijg je het vaakst?',
    'Hoe betrek je mantelzorgers bij de zorg?',
    'Wat is een goede gewoonte in jullie team die anderen zouden moeten kennen?',
    'Welk probleem zou je samen met de ander eens willen aanpakken?',
    'Hoe ziet een goede werkdag er voor jou uit?',
    'Wat heb je onlangs geleerd van een collega?',
  ],
  en: [
    'What is the nicest compliment you ever got from a client?',
    'Which small change on your ward had a big effect?',
    'What are you running into lately, and who could help you with it?',
    'What would you love to show the other at your workplace?',
    'Which tip would you have liked in your first year in care?',
    'How does your team keep things fun when it is busy?',
    'Which idea did you ever borrow from another organisation?',
    'What are you proud of this month?',
    'What do you do to make new colleagues feel at home quickly?',
    'What would you want to learn if you could shadow the other for a day?',
    'Which question from clients or families do you get most often?',
    'How do you involve informal carers in the care?',
    'What is a good habit in your team that others should know about?',
    'Which problem would you like to tackle together with the other?',
    'What does a good working day look like for you?',
    'What did you recently learn from a colleague?',
  ],
};

export const STARTER_COUNT = STARTERS.nl.length;

export function starterText(key: string, locale: Locale): string {
  const index = Number(key.replace(/^starter\./, ''));
  return STARTERS[locale][Number.isInteger(index) ? index % STARTER_COUNT : 0] ?? STARTERS[locale][0] ?? '';
}

/** The first starter not used recently (cycling through all of them), as "starter.<i>". */
export function pickStarter(recent: readonly string[], offset: number): string {
  const used = new Set(recent);
  for (let i = 0; i < STARTER_COUNT; i++) {
    const key = `starter.${(offset + i) % STARTER_COUNT}`;
    if (!used.has(key)) return key;
  }
  return `starter.${offset % STARTER_COUNT}`;
}
