/**
 * The direction of a text as `dir="auto"` decides it: that of its first strongly
 * directional character (Hebrew, Arabic, Syriac, Thaana, N'Ko… right-to-left; letters of
 * left-to-right scripts otherwise), 'ltr' when it has none. Used where a box around the
 * text must lay out the same way as the text (a bubble's time and ticks).
 */
const FIRST_STRONG =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]|\p{L}/u;
const RTL =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]/u;

export function textDirection(text: string): 'ltr' | 'rtl' {
  const first = FIRST_STRONG.exec(text);
  return first && RTL.test(first[0]) ? 'rtl' : 'ltr';
}
