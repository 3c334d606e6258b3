// A write is a proposal until the user approves it: the content it was computed from, and the result.
// The edit engine (editEngine.ts) produces these; nothing here touches a file.

import type { EditedText } from './editedText';

export interface FileChange {
  /** Absolute canonical path. */
  path: string;
  /** Content the proposal was computed from; undefined for a new file. */
  before: string | undefined;
  /** New content; undefined deletes the file (only "Undo Last Turn" of a created file does that). */
  after: string | undefined;
}

export interface ChangeSummary {
  added: number;
  removed: number;
}

/** One `{old_text, new_text}` block of the edit_file tool, applied independently of the others. */
export interface EditBlock {
  old_text: string;
  new_text: string;
}

/**
 * What the engine had to undo or ignore to find a quote that was not in the file exactly. Each is reported to the
 * model so it can quote better in the same conversation.
 */
export type Normalisation =
  | 'line_numbers'
  | 'json_escaping'
  | 'trailing_whitespace'
  | 'tab_indentation'
  | 'indentation'
  | 'inner_whitespace'
  | 'typography'
  | 'nbsp'
  | 'unicode_form'
  | 'blank_lines';

export type BlockFailureKind =
  | 'no_match'
  | 'stale'
  | 'ambiguous'
  | 'empty_old_text'
  | 'placeholder'
  /** The quote needed a repair (line numbers, JSON escaping) that new_text does not consistently carry. */
  | 'inconsistent_quote';

export type BlockResult =
  | {
      index: number;
      ok: true;
      /** 1-based first and last line of the original content the block replaced. */
      startLine: number;
      endLine: number;
      /** Empty for an exact quote. */
      normalised: Normalisation[];
      /** The first line number old_text carried, when it carried line numbers that no longer fit the file. */
      quotedLine?: number;
    }
  | {
      index: number;
      ok: false;
      kind: BlockFailureKind;
      /** Precise, for the model to retry: closest lines and why they differ. */ message: string;
    };

export interface EditOutcome {
  /** Content with every successful block applied (equals the input when none applied). */
  content: string;
  /** The same content as the input and its replacements: what the line counts are read from. */
  edited: EditedText;
  changed: boolean;
  results: BlockResult[];
}
