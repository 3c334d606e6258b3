import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findPlaceholder } from '../../../src/core/edits/placeholders';

describe('findPlaceholder flags text that stands in for omitted content', () => {
  const cases: Array<[syntax: string, text: string, flagged: string]> = [
    [
      'a // comment with an ellipsis and "existing code"',
      'function a() {\n  // ... existing code ...\n}',
      '// ... existing code ...',
    ],
    [
      'a # comment saying the rest of the file is unchanged',
      'import os\n# ... rest of the file unchanged',
      '# ... rest of the file unchanged',
    ],
    ['a /* */ comment saying the rest is unchanged', '/* rest unchanged */', '/* rest unchanged */'],
    [
      'an HTML comment around an ellipsis and "existing content"',
      '<ul>\n  <!-- ... existing content ... -->\n</ul>',
      '<!-- ... existing content ... -->',
    ],
    ['an HTML comment holding only an ellipsis', '<div>\n  <!-- ... -->\n</div>', '<!-- ... -->'],
    ['a JSX comment holding only an ellipsis', '<App>\n  {/* ... */}\n</App>', '{/* ... */}'],
    ['a // comment saying "(unchanged)"', '// (unchanged)', '// (unchanged)'],
    ['an uncommented line framed by ellipses', 'def f():\n    ... rest of code ...', '... rest of code ...'],
    ['a // comment "remaining code here"', 'x();\n// remaining code here', '// remaining code here'],
    ['a line of only [...]', 'x = 1\n[...]\ny = 2', '[...]'],
    ['a code line of only ...', 'const a = 1;\n...\nconst b = 2;', '...'],
    ['a code line of only …', 'foo();\n…\nbar();', '…'],
    ['a -- comment (SQL, Lua)', 'SELECT 1;\n-- ... rest of query unchanged', '-- ... rest of query unchanged'],
    ['a ; comment (Lisp, assembly, ini)', '; ... existing code', '; ... existing code'],
    ['a % comment (LaTeX, Erlang)', '% ... rest of document', '% ... rest of document'],
    ['an ML (* *) comment', '(* ... *)', '(* ... *)'],
    ['a bare // ellipsis comment', 'a();\n// ...\nb();', '// ...'],
    ['a bare # ellipsis comment', 'a = 1\n# ...', '# ...'],
    ['an inline /* ... */ as a function body', 'function f() { /* ... */ }', 'function f() { /* ... */ }'],
    ['a trailing // comment with an ellipsis', 'x(); // ... rest unchanged', 'x(); // ... rest unchanged'],
    ['a { ... } body', 'function foo() { ... }', 'function foo() { ... }'],
    ['a comment with the ellipsis glued to the words', '// ...existing code...', '// ...existing code...'],
    ['a comment listing other members', 'class A {\n  // ... other methods ...\n}', '// ... other methods ...'],
    [
      'a parenthesised "rest of the function stays the same"',
      '# ... (rest of the function stays the same)',
      '# ... (rest of the function stays the same)',
    ],
    [
      'a bracketed "previous code remains the same"',
      '// [Previous code remains the same]',
      '// [Previous code remains the same]',
    ],
    [
      '"rest of the implementation remains unchanged"',
      '// rest of the implementation remains unchanged',
      '// rest of the implementation remains unchanged',
    ],
    ['"code omitted for brevity"', '// code omitted for brevity', '// code omitted for brevity'],
    ['an indented "... more tests"', 'it("a", () => {});\n    // ... more tests', '// ... more tests'],
    ['a "snip" marker', '// snip', '// snip'],
    [
      'a block-comment continuation line with an ellipsis',
      '/**\n * ... existing code ...\n */',
      '* ... existing code ...',
    ],
    ['"Existing code" without an ellipsis', '// Existing code', '// Existing code'],
    ['"other methods unchanged"', '// Other methods unchanged', '// Other methods unchanged'],
    ['"keep existing imports"', '// keep existing imports', '// keep existing imports'],
    ['"the rest remains the same"', '# the rest remains the same', '# the rest remains the same'],
    ['a lone "unchanged"', '// unchanged', '// unchanged'],
    ['"no changes"', '// no changes', '// no changes'],
    ['"same as before"', '// same as before', '// same as before'],
    ['a VB comment', "' ... existing code", "' ... existing code"],
    ['a batch REM comment', 'REM ... rest unchanged', 'REM ... rest unchanged'],
    ['unicode ellipses around the words', '// … rest of file …', '// … rest of file …'],
  ];
  for (const [syntax, text, flagged] of cases) {
    test(`${syntax} is a placeholder`, () => {
      assert.equal(findPlaceholder(text), flagged);
    });
  }

  test('a placeholder in a CRLF text is found and returned without the CR', () => {
    assert.equal(findPlaceholder('a();\r\n// ... existing code ...\r\nb();\r\n'), '// ... existing code ...');
  });
});

describe('findPlaceholder leaves legitimate content alone', () => {
  const cases: Array<[what: string, text: string]> = [
    ['spread arguments', 'const f = (...args) => g(...args);'],
    ['a spread property on its own line', 'const o = {\n  ...rest,\n};'],
    ['rest destructuring', 'const { a, ...rest } = obj;'],
    ['array spread', 'return [...items, item];'],
    ['variadic tuple types', 'type T = [...A, ...B];'],
    ['an ellipsis in prose', 'The story goes on... and on.'],
    ['a trailing ellipsis in prose', 'Wait...\nThen it happened.'],
    ['a bare ellipsis between prose paragraphs', 'Chapter one ends here\n\n...\n\nChapter two begins'],
    ['a Python Ellipsis stub on the def line', 'def f(): ...'],
    ['a Swift range', 'for i in 0...n {'],
    ['a Rust inclusive range', 'let r = 1..=5;'],
    ['a C case range', 'case 1...5:'],
    ['a Go variadic parameter', 'func f(args ...int) {}'],
    ['Rust struct update syntax', '..Default::default()'],
    ['an ellipsis in a URL string', 'fetch("https://...")'],
    ['an ellipsis in a string literal', 'print("... done")'],
    ['a progress comment', '// Loading...'],
    ['a TODO with an ellipsis', '// TODO ...'],
    ['an example list in a comment', '// e.g. a, b, ...'],
    ['a sentence that mentions the rest', '// Keep the rest unchanged when the user cancels the dialog'],
    ['a section comment pointing below', '// other handlers below'],
    ['a comment about remaining lines', '// Remaining lines are parsed below'],
    ['a comment about existing users', '# Existing users keep their settings'],
    ['a Markdown bullet about remaining items', '* Remaining items are shipped later'],
    ['a trailing comment that a value is unchanged', 'if (x === prev) return; // value unchanged'],
    ['a trailing # comment that a value is unchanged', 'x = 1  # value unchanged if negative'],
    ['a note about where the rest is handled', '// Note: the rest is handled in parse()'],
    ['a diff header', '--- a/file'],
    ['a shebang', '#!/usr/bin/env node'],
    ['a Rust attribute', '#[derive(Debug)]'],
  ];
  for (const [what, text] of cases) {
    test(`${what} is not a placeholder`, () => {
      assert.equal(findPlaceholder(text), undefined);
    });
  }
});

describe('findPlaceholder uses the original content and the path', () => {
  test('a placeholder-looking line the original already has is content', () => {
    const original = 'class P(Protocol):\n    def run(self) -> None:\n        ...\n';
    assert.equal(
      findPlaceholder('    def run(self) -> None:\n        ...\n    def stop(self) -> None:\n        ...\n', original),
      undefined,
    );
  });

  test('a placeholder the original does not have is still flagged', () => {
    assert.equal(findPlaceholder('a();\n// ... existing code ...', 'a();\n// ...\n'), '// ... existing code ...');
  });

  test('a later placeholder is found after an earlier line the original excuses', () => {
    assert.equal(findPlaceholder('// ...\nx();\n# ... rest unchanged', '// ...\n'), '# ... rest unchanged');
  });

  const paths: Array<[path: string, flagged: string | undefined]> = [
    ['/repo/README.md', undefined],
    ['/repo/notes.txt', undefined],
    ['/repo/src/main.ts', '...'],
    ['/repo/Makefile', '...'],
  ];
  for (const [path, flagged] of paths) {
    test(`a bare ellipsis line in ${path} is ${flagged ? 'a placeholder' : 'prose'}`, () => {
      assert.equal(findPlaceholder('x();\n...\n', undefined, { path }), flagged);
    });
  }

  test('a placeholder comment is flagged even in a Markdown file', () => {
    assert.equal(
      findPlaceholder('```ts\n// ... existing code ...\n```', undefined, { path: '/repo/README.md' }),
      '// ... existing code ...',
    );
  });
});
