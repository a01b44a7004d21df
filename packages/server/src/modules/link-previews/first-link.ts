/**
 * The link a message's preview is of: the first http(s) URL of its text outside code
 * (inline `code` and ``` blocks are what people quote, not what they share), without the
 * punctuation that ends a sentence or closes a bracket around it.
 */
const CODE = /```[\s\S]*?```|`[^`\n]*`/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/i;
const TRAILING = /[.,;:!?)\]}'"»”’>*_~]+$/;

export const PREVIEW_URL_MAX_LENGTH = 2048;

export function firstLink(text: string): string | null {
  const found = URL_IN_TEXT.exec(text.replace(CODE, ' '))?.[0];
  if (!found) return null;
  let candidate = found.replace(TRAILING, '');
  // `(see https://en.wikipedia.org/wiki/Foo_(bar))`: keep a closing bracket that closes one inside the URL.
  const opened = (found.match(/\(/g) ?? []).length;
  if (opened > 0 && found.startsWith(candidate) && found.slice(candidate.length).startsWith(')')) candidate += ')';
  if (candidate.length > PREVIEW_URL_MAX_LENGTH) return null;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}
