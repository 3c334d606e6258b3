// A write is a proposal until the user approves it: the content it was computed from, and the result.
// The edit engine (editEngine.ts) produces these; nothing here touches a file.

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

export type BlockFailureKind = 'no_match' | 'ambiguous' | 'empty_old_text' | 'placeholder';

export type BlockResult =
  | { index: number; ok: true; /** 1-based line where the replaced text starts */ startLine: number; fuzzy: boolean }
  | {
      index: number;
      ok: false;
      kind: BlockFailureKind;
      /** Precise, for the model to retry: closest lines and why they differ. */ message: string;
    };

export interface EditOutcome {
  /** Content with every successful block applied (equals the input when none applied). */
  content: string;
  changed: boolean;
  results: BlockResult[];
}
