/** Topic tags from free text ("valpreventie, dementie en #mantelzorg"). */

/** Separators: commas, semicolons, new lines, '#', '&', and the words "en" / "and". */
const SEPARATORS = /[,;\n\r#&]+|\s+(?:en|and)\s+/giu;
/** Punctuation trimmed from both ends of a tag. */
const EDGE_PUNCTUATION = /^[\s.!?:;'"“”‘’()[\]{}*_-]+|[\s.!?:;'"“”‘’()[\]{}*_-]+$/gu;

/** One tag in canonical form: NFC, lower case (accents kept), inner spaces collapsed, no '#'. */
export function normaliseTag(tag: string): string {
  return tag
    .normalize('NFC')
    .replace(/#/g, ' ')
    .replace(EDGE_PUNCTUATION, '')
    .replace(/\s+/gu, ' ')
    .toLocaleLowerCase('nl');
}

/**
 * Normalised, deduplicated tags in order of first appearance. Splits on commas, semicolons, new
 * lines, '#', '&' and the words "en"/"and" (a leading "en "/"and " is dropped too).
 */
export function topicTags(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const part of text.normalize('NFC').split(SEPARATORS)) {
    const tag = normaliseTag(part.replace(/^(?:en|and)\s+|\s+(?:en|and)$/iu, ''));
    if (tag === '' || tag === 'en' || tag === 'and' || seen.has(tag)) continue;
    seen.add(tag);
    out.push(tag);
  }
  return out;
}
