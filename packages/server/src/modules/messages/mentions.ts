/** Finds `@username`, `@all` and `@here` in message text (E7). Pure text processing. */
const MENTION = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9_.]{3,32})/gu;

export interface ParsedMentions {
  usernames: string[];
  /** `@all`: every member. */
  all: boolean;
  /** `@here`: the members online when it is sent. */
  here: boolean;
}

export function parseMentions(text: string): ParsedMentions {
  const usernames = new Set<string>();
  let all = false;
  let here = false;
  for (const match of text.matchAll(MENTION)) {
    // A trailing dot is sentence punctuation, not part of the name ("thanks @anna.").
    const name = (match[1] ?? '').toLowerCase().replace(/\.+$/, '');
    if (name === 'all') all = true;
    else if (name === 'here') here = true;
    else if (name.length >= 3) usernames.add(name);
  }
  return { usernames: [...usernames], all, here };
}
