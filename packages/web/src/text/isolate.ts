/**
 * Names inside sentences ("Ann added Bob", "Ann is typing…") as bidi isolates. A name is
 * marked with First Strong Isolate … Pop Directional Isolate when the sentence is built
 * (translations interpolate plain strings), and `isolatedParts` splits the sentence again
 * so the renderer can put each name in its own <bdi>. Bidi controls inside a name (stored
 * before the server refused them) are dropped: they could otherwise end the isolate early
 * or reverse the words after the name.
 */
import { stripBidiControls } from '@parley/protocol';

const FSI = '\u2068';
const PDI = '\u2069';
const MARKED = /\u2068([^\u2068\u2069]*)\u2069/u;

/** The name, cleaned of bidi controls and marked as an isolate for `isolatedParts`. */
export const isolateName = (name: string): string => `${FSI}${stripBidiControls(name)}${PDI}`;

/** A sentence as alternating parts: plain text at even indexes, marked names at odd ones. */
export const isolatedParts = (sentence: string): string[] => sentence.split(MARKED);

/** The sentence as plain text, the markers removed (titles, labels, notifications). */
export const withoutIsolates = (sentence: string): string => isolatedParts(sentence).join('');
