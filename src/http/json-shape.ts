/**
 * Far deeper than any body this API takes (today at most two levels). JSON.parse copes with
 * a million levels, but it takes ~90 ms for a megabyte of them, and the validation pipe
 * walks bodies recursively.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Far more values than any body this API takes (the largest, a profile with 50 environment
 * URLs, holds about 80). The validation pipe spends ~50 µs on each unknown field, so 80,000
 * of them blocked the event loop for 4.4 s; at this cap it stays within a few milliseconds.
 */
export const MAX_BODY_VALUES = 256;

export type ShapeProblem = 'too-deep' | 'too-many-values';

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;

/**
 * Measures a JSON text's nesting and size as it arrives, chunk by chunk, in one pass with no
 * recursion, and stops at the first limit crossed: a hostile body is refused after reading
 * as little of it as it takes, before JSON.parse or the validation pipe ever see it. It
 * does not check the syntax (JSON.parse does, once the shape is known to be small).
 */
export class JsonShapeScanner {
  private depth = 0;
  private values = 0;
  private inString = false;
  private escaped = false;

  constructor(
    private readonly maxDepth = MAX_BODY_DEPTH,
    private readonly maxValues = MAX_BODY_VALUES,
  ) {}

  /** The first limit this chunk crosses, or null while the body stays within them. */
  feed(text: string): ShapeProblem | null {
    // Where the next backslash is from here on (text.length: none left in this chunk).
    let backslash = -1;
    for (let i = 0; i < text.length; i++) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        // Inside a string only a quote or a backslash matters: skip to it with the native
        // search (a megabyte-long string took ~30 ms one character at a time).
        if (backslash < i) {
          backslash = text.indexOf('\\', i);
          if (backslash === -1) backslash = text.length;
        }
        const quote = text.indexOf('"', i);
        i = Math.min(quote === -1 ? text.length : quote, backslash);
        if (i === text.length) break;
        if (i === backslash) this.escaped = true;
        else this.inString = false;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (++this.depth > this.maxDepth) return 'too-deep';
        if (++this.values > this.maxValues) return 'too-many-values';
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        this.depth--;
      } else if (c === COMMA) {
        // Every member or element after the first of its container follows a comma.
        if (++this.values > this.maxValues) return 'too-many-values';
      }
    }
    return null;
  }
}
