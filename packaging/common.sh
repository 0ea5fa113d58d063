# Shared by the build scripts: where things go, the version, a copy of the sources to build from.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pk="$repo/packaging"
# scratch: downloads, the Windows Python, Wine prefixes, PyInstaller's work. Outside the checkout: a
# Wine prefix links z: to /, and setuptools' egg_info (building the wheel) walks the checkout
# following links, so a prefix inside it makes `python -m build` walk the whole disk.
build="${MOTCUA_BUILD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/motcua-build}"
dist="$pk/dist"     # what is shipped: the installer, the portable zip, the Linux bundle
mkdir -p "$build/cache" "$dist"

# the one version number (core/domain/version.py), or MOTCUA_BUILD_VERSION to make a test build of a
# later version (packaging/wine-test.sh builds one to check the upgrade)
version=${MOTCUA_BUILD_VERSION:-$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$repo/core/domain/version.py")}

# the sources as a clean clone has them (git's files of the work tree, nothing left lying about)
copy_sources() {
    local to=$1
    rm -rf "$to" && mkdir -p "$to"
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard -- main.py core db gui resources \
        | xargs -0 cp --parents -t "$to")
    if [ -n "${MOTCUA_BUILD_VERSION:-}" ]; then
        sed -i "s/^__version__ = .*/__version__ = \"$MOTCUA_BUILD_VERSION\"/" "$to/core/domain/version.py"
    fi
    cp "$pk/motcua.spec" "$to/motcua.spec"
    mkdir -p "$to/packaging" && cp "$pk/motcua.spec" "$to/packaging/motcua.spec"
}

say() { printf '== %s\n' "$*" >&2; }

# pip, quiet, without the warnings about a pip.conf's missing local folders (its exit status kept)
pip_() {
    "${PIP:-python3}" -m pip "$1" -q --disable-pip-version-check "${@:2}" 2> >(grep -v "^WARNING: Location" >&2)
}

# Wine 8 (Debian's) gives a Windows program an invalid handle for a standard stream that is a regular
# file: Python stops with "init_sys_streams: can't initialize sys standard streams, [WinError 6]".
# Pipes work, so every stream goes through one; the program's exit status is kept.
winrun() {
    wine "$@" < <(:) 2> >(cat >&2) | cat
    return "${PIPESTATUS[0]}"
}
