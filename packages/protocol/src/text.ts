/**
 * Rules about text that misleads, shared by the server's validator and the web app.
 * Bidirectional controls reorder the characters around them (U+202E turns "gnp.exe" into
 * "exe.png"); invisible characters make a name that looks like nothing, or like someone
 * else's with a space added.
 */

/** Embeddings, overrides and isolates (U+202A–E, U+2066–9), the LRM/RLM marks and the Arabic letter mark. */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

export const hasBidiControl = (text: string): boolean => BIDI_CONTROL.test(text);

export const stripBidiControls = (text: string): string => text.replace(BIDI_CONTROLS, '');

/**
 * Characters that show nothing on their own: whitespace and separators, control and format
 * characters (zero-width space and joiners, word joiner, BOM, soft hyphen, tags), combining
 * marks with no base, and the Hangul and Braille fillers that render blank.
 */
const INVISIBLE_ONLY = /^[\s\p{Z}\p{Cc}\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/** True when the text has no character a reader would see. */
export const isInvisible = (text: string): boolean => INVISIBLE_ONLY.test(text);

/**
 * Schema keyword for names people are shown by (display names, chat names): the server's
 * validator refuses bidi controls (rule `bidiControl`) and names with nothing visible
 * (rule `visible`). An `x-` name, so OpenAPI tools read it as an extension.
 */
export const NAME_KEYWORD = 'x-parley-name';
