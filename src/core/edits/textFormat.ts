// A file's line endings, byte-order mark and final newline, so an edit can match on plain LF text and still
// hand back bytes the user's tools (git, linters, editors) see as changed only where the edit was.
// Everything here works on JS strings: callers decode and encode bytes (the BOM is the decoded U+FEFF).

export type Eol = '\n' | '\r\n' | '\r';

export interface TextFormat {
  /** The dominant line ending; '\n' when the text has none. */
  eol: Eol;
  bom: boolean;
  finalNewline: boolean;
}

export const BOM = '\uFEFF';

export interface EolCounts {
  lf: number;
  crlf: number;
  cr: number;
}

export function countEols(text: string): EolCounts {
  const counts: EolCounts = { lf: 0, crlf: 0, cr: 0 };
  let index = text.indexOf('\r');
  if (index === -1) {
    // The common case: no CR at all, so every break is LF.
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) counts.lf++;
    return counts;
  }
  for (index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) counts.lf++;
    else if (code === 13) {
      if (text.charCodeAt(index + 1) === 10) {
        counts.crlf++;
        index++;
      } else counts.cr++;
    }
  }
  return counts;
}

/** Ties go to LF, then CRLF: the choice only matters for lines an edit adds. */
export function dominantEol(counts: EolCounts): Eol {
  if (counts.crlf > counts.lf && counts.crlf >= counts.cr) return '\r\n';
  if (counts.cr > counts.lf && counts.cr > counts.crlf) return '\r';
  return '\n';
}

export function detectFormat(text: string): TextFormat {
  const bom = text.startsWith(BOM);
  const last = text.charCodeAt(text.length - 1);
  const finalNewline = text.length > (bom ? 1 : 0) && (last === 10 || last === 13);
  return { eol: dominantEol(countEols(text)), bom, finalNewline };
}

/** LF line endings and no BOM: the form old_text is compared in. */
export function normalizeForMatching(text: string): string {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  return body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
}

/** Every LF becomes `eol`; other characters are untouched. */
export function toEol(lfText: string, eol: Eol): string {
  return eol === '\n' ? lfText : lfText.replace(/\n/g, eol);
}

/**
 * Gives LF text (e.g. a whole-file write from the model) the file's line endings, BOM and final-newline state,
 * so rewriting a CRLF file without a final newline does not show every line as changed. Exactly one trailing
 * line break is added or removed; empty text stays empty (apart from the BOM).
 */
export function restoreFormat(lfText: string, format: TextFormat): string {
  let text = normalizeForMatching(lfText);
  if (text.length > 0) {
    if (format.finalNewline && !text.endsWith('\n')) text += '\n';
    else if (!format.finalNewline && text.endsWith('\n')) text = text.slice(0, -1);
  }
  return (format.bom ? BOM : '') + toEol(text, format.eol);
}
