#!/usr/bin/env bash
# A "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) on machines that
# cannot download VS Code: takes the desktop CLI arguments and runs the extension tests in code-server
# through scripts/test-host.mjs (same suites, same real extension host).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DEVELOPMENT_PATH=; TESTS_PATH=; FOLDER=
for arg in "$@"; do
  case "$arg" in
    --extensionDevelopmentPath=*) [ -z "$DEVELOPMENT_PATH" ] && DEVELOPMENT_PATH=${arg#*=} ;;  # the first one is the extension
    --extensionTestsPath=*) TESTS_PATH=${arg#*=} ;;
    --*) ;;  # --no-sandbox, --user-data-dir=…, --disable-extensions …: meaningless for code-server here
    *) FOLDER=$arg ;;  # the positional argument is the folder to open
  esac
done
if [ -z "$DEVELOPMENT_PATH" ] || [ -z "$TESTS_PATH" ]; then
  echo "codeServerShim: need --extensionDevelopmentPath= and --extensionTestsPath=" >&2
  exit 2
fi
ARGS=(integration --no-build --extension "$DEVELOPMENT_PATH" --tests-module "$TESTS_PATH")
[ -n "$FOLDER" ] && ARGS+=(--workspace "$FOLDER")
exec node "$HERE/test-host.mjs" "${ARGS[@]}"
