#!/usr/bin/env bash
# Prepares everything the end-to-end tests need, and nothing inside the project's dependency tree:
# the Debian packages (Chromium, ripgrep, compilers for code-server's native modules) and code-server
# from npm in a cache folder. Idempotent: a second run only checks and exits in well under a second.
#
# Environment:
#   CARGO_TRUST_E2E_CACHE  cache root (default: $HOME/.cache/cargo-trust-e2e)
#
# The last line on stdout is `CODE_SERVER_DIR=<folder>`; test/e2e/run.mjs passes it on to the scenarios.
set -euo pipefail

readonly CODE_SERVER_VERSION=4.100.3
readonly APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium)

cache_root="${CARGO_TRUST_E2E_CACHE:-$HOME/.cache/cargo-trust-e2e}"
cs_dir="$cache_root/code-server-$CODE_SERVER_VERSION"
cs_pkg="$cs_dir/node_modules/code-server"
# Written last, after the install has been verified, so an interrupted install is never taken for a finished one.
complete_marker="$cs_dir/.install-complete"

log() { printf 'e2e-setup: %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt_packages() {
	local missing=() pkg status
	for pkg in "${APT_PACKAGES[@]}"; do
		status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
		[ "$status" = "install ok installed" ] || missing+=("$pkg")
	done
	if [ "${#missing[@]}" -eq 0 ]; then
		return
	fi
	log "installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
	as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Prints the version in <dir>/package.json, or nothing. Never runs code-server itself: that writes into $HOME.
installed_version() {
	local manifest="$1/package.json"
	[ -f "$manifest" ] || return 0
	sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$manifest" | head -n 1
}

is_installed() {
	[ -f "$complete_marker" ] && [ "$(installed_version "$cs_pkg")" = "$CODE_SERVER_VERSION" ]
}

# code-server's post-install runs `npm install` in lib/vscode, which installs @vscode/ripgrep. Its own
# post-install downloads rg from GitHub (unreachable here, and the failure fails the whole install) unless
# the archive is already in its cache under os.tmpdir(). This reads the exact version, asset name and cache
# folder from the packages that will be installed, and puts Debian's /usr/bin/rg there.
seed_ripgrep_cache() {
	local work="$1" tmpdir="$2" rg_version asset
	(cd "$work" && npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null)
	tar -xzf "$work/code-server-$CODE_SERVER_VERSION.tgz" -C "$work" package/lib/vscode/npm-shrinkwrap.json
	rg_version="$(node -e '
		const lock = require(process.argv[1]);
		const entry = lock.packages && lock.packages["node_modules/@vscode/ripgrep"];
		if (!entry) { console.error("no @vscode/ripgrep in lib/vscode/npm-shrinkwrap.json"); process.exit(1); }
		console.log(entry.version);
	' "$work/package/lib/vscode/npm-shrinkwrap.json")"

	mkdir -p "$work/rg"
	(cd "$work/rg" && npm pack --silent "@vscode/ripgrep@$rg_version" >/dev/null)
	tar -xzf "$work/rg/vscode-ripgrep-$rg_version.tgz" -C "$work/rg" package/lib/postinstall.js package/lib/download.js
	# Fails loudly if a future @vscode/ripgrep names its cache differently, instead of silently downloading.
	asset="$(node -e '
		const fs = require("fs");
		const os = require("os");
		const [postinstall, download] = process.argv.slice(1).map((f) => fs.readFileSync(f, "utf8"));
		const fail = (what) => { console.error(`@vscode/ripgrep changed: cannot find ${what}`); process.exit(1); };
		if (!download.includes("path.join(os.tmpdir(), `vscode-ripgrep-cache-${packageVersion}`)")) fail("its cache folder");
		if (!download.includes("[\x27ripgrep\x27, opts.version, opts.target].join(\x27-\x27) + extension")) fail("its asset name");
		const version = /const VERSION = \x27([^\x27]+)\x27/.exec(postinstall)?.[1] ?? fail("VERSION");
		const linux = /case \x27linux\x27:([\s\S]*?)default:/.exec(postinstall)?.[1] ?? fail("the linux targets");
		const arch = process.env.npm_config_arch || os.arch();
		const target = new RegExp(`arch === \x27${arch}\x27 \\? \x27([^\x27]+)\x27`).exec(linux)?.[1] ?? fail(`a target for ${arch}`);
		console.log(`ripgrep-${version}-${target}.tar.gz`);
	' "$work/rg/package/lib/postinstall.js" "$work/rg/package/lib/download.js")"

	local cache_dir="$tmpdir/vscode-ripgrep-cache-$rg_version"
	mkdir -p "$cache_dir" "$work/rg/archive"
	cp /usr/bin/rg "$work/rg/archive/rg"
	tar -czf "$cache_dir/$asset" -C "$work/rg/archive" rg
	log "seeded $cache_dir/$asset with Debian's rg ($(/usr/bin/rg --version | head -n 1))"
}

install_code_server() {
	log "installing code-server $CODE_SERVER_VERSION into $cs_dir (cold install: a few minutes of native builds)"
	rm -rf "$cs_dir"
	mkdir -p "$cs_dir"
	local work="$cs_dir/.setup" install_tmp="$cs_dir/.tmp"
	mkdir -p "$work" "$install_tmp"

	# npm's environment for code-server as root and offline (see /work/shared/reference/real-editor.md):
	# unsafe_perm, or code-server's post-install exits 1 as root; nodedir, or node-gyp downloads headers and
	# every native build fails; allow_all_scripts, in case a later npm blocks dependency scripts by default.
	export npm_config_unsafe_perm=true
	export npm_config_nodedir=/usr
	export npm_config_dangerously_allow_all_scripts=true
	export npm_config_yes=true
	export npm_config_fund=false
	export npm_config_audit=false
	export npm_config_update_notifier=false
	# os.tmpdir() in every post-install, so the seeded ripgrep archive is where @vscode/ripgrep looks.
	export TMPDIR="$install_tmp"

	seed_ripgrep_cache "$work" "$install_tmp"

	printf '{ "private": true, "description": "code-server for cargo-trust end-to-end tests" }\n' >"$cs_dir/package.json"
	# --foreground-scripts puts every post-install's output (native builds, ripgrep) into install.log.
	if ! (cd "$cs_dir" && npm install --no-package-lock --foreground-scripts "code-server@$CODE_SERVER_VERSION" >"$cs_dir/install.log" 2>&1); then
		tail -n 60 "$cs_dir/install.log" >&2
		log "npm install failed; the full log is $cs_dir/install.log"
		exit 1
	fi

	local rg_bin="$cs_pkg/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
	if [ ! -x "$rg_bin" ]; then
		log "code-server installed but $rg_bin is missing: extensions would never activate on workspaceContains"
		exit 1
	fi
	if [ "$(installed_version "$cs_pkg")" != "$CODE_SERVER_VERSION" ]; then
		log "installed code-server reports version '$(installed_version "$cs_pkg")', expected $CODE_SERVER_VERSION"
		exit 1
	fi
	rm -rf "$work" "$install_tmp"
	date -u +%Y-%m-%dT%H:%M:%SZ >"$complete_marker"
	log "code-server $CODE_SERVER_VERSION installed"
}

main() {
	install_apt_packages
	mkdir -p "$cache_root"
	# Two setups at once (two checkouts, a retried CI step) must not install into the same folder.
	exec 9>"$cache_root/.setup.lock"
	flock 9
	if is_installed; then
		log "code-server $CODE_SERVER_VERSION already in $cs_dir"
	else
		install_code_server
	fi
	printf 'CODE_SERVER_DIR=%s\n' "$cs_pkg"
}

main "$@"
