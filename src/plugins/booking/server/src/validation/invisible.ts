/**
 * Characters a name or an address must not carry: they are invisible or turn text around, so
 * two values that look the same differ, or what is shown is not what is stored (on the door
 * list, in the admin panel, in a mail's To: line).
 *
 * - Unicode category Cf (format): bidirectional marks, embeddings, overrides and isolates
 *   (U+200E/F, U+202A-U+202E, U+2066-U+2069, U+061C), zero-width characters (U+200B-U+200D,
 *   U+2060, U+FEFF), soft hyphen, invisible operators, tag characters, ...
 * - U+2028 and U+2029 (line and paragraph separators: line breaks outside the C0 range).
 * - Fillers that render as blank letters: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0),
 *   the Braille blank (U+2800), the combining grapheme joiner (U+034F), the Khmer inherent vowels
 *   (U+17B4, U+17B5) and the Mongolian free variation selectors (U+180B-U+180D, U+180F).
 *
 * The Unicode property escape keeps the list in step with the engine's Unicode tables rather than
 * a hand-kept range list.
 */
// The combining ones (U+034F, U+17B4, U+17B5, U+180B-U+180F) stand outside the class, alone.
const INVISIBLE = /[\p{Cf}\u2028\u2029\u115f\u1160\u3164\uffa0\u2800]|\u034f|\u17b4|\u17b5|\u180b|\u180c|\u180d|\u180f/u;

/** Whether `value` holds an invisible or direction-changing character (see above). */
export const hasInvisible = (value: string): boolean => INVISIBLE.test(value);
