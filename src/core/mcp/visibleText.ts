// Server text as the user sees it on a card or in a review: a bidirectional control or a zero-width
// character could make a description or an argument read differently from what the model was sent
// (threat class 14), so each is shown as an escape like `\u{202E}`. Line breaks and tabs stay.
import { INVISIBLE } from '../policy/canonicalPath';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HIDDEN = new RegExp(`${CONTROL.source}|${INVISIBLE.source}`, 'gu');

/** `text` with every control (but `\n` and `\t`), zero-width and bidi character written as `\u{…}`. */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, (char) => `\\u{${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}

/** Whether `text` holds a character `visibleText` would escape. */
export function hasHiddenCharacters(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}
