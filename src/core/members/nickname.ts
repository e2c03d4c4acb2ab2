/**
 * An alliterative nickname suggestion, as in the network's speed-dates ("Handige Henk"):
 * an adjective starting with the first letter of the first name, in the member's language.
 */
import type { Locale } from '../types.js';

const WORDS: Record<Locale, Record<string, string[]>> = {
  nl: {
    a: ['Actieve', 'Attente'],
    b: ['Behulpzame', 'Bevlogen'],
    c: ['Creatieve', 'Charmante'],
    d: ['Dappere', 'Daadkrachtige'],
    e: ['Enthousiaste', 'Eerlijke'],
    f: ['Flexibele', 'Fijne'],
    g: ['Gezellige', 'Gulle'],
    h: ['Handige', 'Hartelijke'],
    i: ['Inventieve', 'Inspirerende'],
    j: ['Joviale', 'Jolige'],
    k: ['Kundige', 'Krachtige'],
    l: ['Lieve', 'Leergierige'],
    m: ['Moedige', 'Meelevende'],
    n: ['Nieuwsgierige', 'Nuchtere'],
    o: ['Optimistische', 'Opgewekte'],
    p: ['Positieve', 'Praktische'],
    q: ['Quirky'],
    r: ['Rustige', 'Relaxte'],
    s: ['Slimme', 'Spontane'],
    t: ['Toffe', 'Trouwe'],
    u: ['Unieke'],
    v: ['Vrolijke', 'Vindingrijke'],
    w: ['Wijze', 'Warme'],
    x: ['Xtra'],
    y: ['Yogische'],
    z: ['Zorgzame', 'Zonnige'],
  },
  en: {
    a: ['Amazing', 'Able'],
    b: ['Brave', 'Bright'],
    c: ['Caring', 'Curious'],
    d: ['Dynamic', 'Daring'],
    e: ['Eager', 'Energetic'],
    f: ['Friendly', 'Fearless'],
    g: ['Gentle', 'Generous'],
    h: ['Helpful', 'Happy'],
    i: ['Inventive', 'Inspiring'],
    j: ['Jolly', 'Joyful'],
    k: ['Kind', 'Keen'],
    l: ['Lively', 'Loyal'],
    m: ['Mindful', 'Merry'],
    n: ['Nimble', 'Noble'],
    o: ['Optimistic', 'Open'],
    p: ['Practical', 'Patient'],
    q: ['Quick', 'Quiet'],
    r: ['Reliable', 'Radiant'],
    s: ['Sunny', 'Smart'],
    t: ['Thoughtful', 'Trusty'],
    u: ['Upbeat'],
    v: ['Vivid', 'Valiant'],
    w: ['Warm', 'Wise'],
    x: ['eXtra'],
    y: ['Youthful'],
    z: ['Zesty', 'Zealous'],
  },
};

/** "Henk Jansen" → "Handige Henk"; the same name gives the same suggestion. */
export function suggestNickname(displayName: string, locale: Locale): string {
  const first = displayName.trim().split(/\s+/)[0] ?? '';
  if (!first) return '';
  const letter = first
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .charAt(0)
    .toLowerCase();
  const options = WORDS[locale][letter];
  if (!options) return first;
  let hash = 0;
  for (const ch of first) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `${options[hash % options.length]} ${first}`;
}
