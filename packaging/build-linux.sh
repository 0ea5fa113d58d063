#!/usr/bin/env bash
# The Linux bundle: PyInstaller's one folder as packaging/dist/MotCua-<version>-linux-x86_64.tar.gz
# (unpack anywhere, run MotCua/mot-cua: the window with no command, the command line with one).
# Built with the versions of packaging/lock-linux.txt in a virtual environment of its own.
main() {
source "$(dirname "$0")/common.sh"
start=$SECONDS
venv="$build/venv-linux"
if [ ! -x "$venv/bin/pyinstaller" ] || [ "$pk/lock-linux.txt" -nt "$venv/.locked" ]; then
    say "build environment (packaging/lock-linux.txt)"
    rm -rf "$venv" && python3 -m venv "$venv"
    PIP="$venv/bin/python" pip_ install -r "$pk/lock-linux.txt"
    "$venv/bin/pyinstaller" --version >/dev/null && touch "$venv/.locked"
fi
src="$build/src-linux"
copy_sources "$src"
say "PyInstaller for $version"
rm -rf "$build/app-linux" "$build/pyi-linux"
(cd "$src" && "$venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$build/app-linux" \
    --workpath "$build/pyi-linux" "$src/packaging/motcua.spec")
out="$dist/MotCua-$version-linux-x86_64.tar.gz"
tar -C "$build/app-linux" -I "gzip -1" -cf "$out" MotCua
say "Linux bundle: $out ($(du -h "$out" | cut -f1), unpacked $(du -sh "$build/app-linux/MotCua" | cut -f1)) in $((SECONDS - start)) s"
}
main "$@"; exit  # on one line: an edit of this file while it runs cannot derail it
