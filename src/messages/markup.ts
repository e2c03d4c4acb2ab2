/**
 * The pieces of the neutral markup every renderer shares: its link and mention tokens, input
 * cleaning, and the rule that only http(s) URLs become links.
 */

/** `[label](url)` or `<@id|Name>` / `<@id>`; tokens never span a line. */
export const MARKUP_TOKEN_RE = /\[([^\]\n]+)\]\(([^)\s]+)\)|<@([^\s|<>&]+)(?:\|([^>\n]*))?>/g;

/** Placeholder delimiters for rendered tokens (private-use characters, removed from input first). */
export const PH_OPEN = '\uE000';
export const PH_CLOSE = '\uE001';
export const PH_RE = /\uE000(\d+)\uE001/g;

/** Normalises line ends; drops control characters (but tab and line feed) and the placeholder characters. */
export function cleanMarkup(s: string): string {
  return (
    s
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\uE000\uE001]/g, '')
  );
}

/** The URL when it is http or https, normalised; null for anything else (javascript:, data:...). */
export function httpUrl(raw: string): string | null {
  if (!/^https?:\/\//i.test(raw)) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
