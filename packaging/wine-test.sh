#!/usr/bin/env bash
# The Windows installer as an office PC gets it, under Wine, in a fresh Wine prefix:
#   1. build the app and the installer (packaging/build-windows.sh), and a later test version for step 5
#   2. install silently (/S): files, shortcuts, the uninstall entry in HKCU
#   3. the installed command line: --version, demo into an *old* roaming data folder, the move to
#      the local one, report PDF/DOCX/XLSX, the summary printed to a redirected stdout (UTF-8),
#      backup, restore, check
#   4. the window at 1366x768 under Xvfb: a screenshot (packaging/dist/wine-window.png) or why there is
#      none; an install tried while the program runs must be refused (exit code 2)
#   5. upgrade to the later version silently: the data kept
#   6. uninstall silently: program, shortcuts and uninstall entry gone, the data kept
# Needs: wine wine64 nsis xvfb imagemagick (apt-get install -y …). Not run by CI (about 15 minutes).
#   packaging/wine-test.sh [--reuse]    --reuse: use installers already in packaging/dist
main() {
source "$(dirname "$0")/common.sh"
local t0=$SECONDS reuse=${1:-}
local v1=$version
local v2
v2=$(python3 -c "import sys; p=sys.argv[1].split('.'); p[-1]=str(int(p[-1])+1); print('.'.join(p))" "$v1")
local setup1="$dist/MotCua-$v1-setup.exe" setup2="$dist/MotCua-$v2-setup.exe"
if [ "$reuse" != "--reuse" ] || [ ! -f "$setup1" ]; then bash "$pk/build-windows.sh"; fi
local t_built=$SECONDS
# the later version builds meanwhile (PyInstaller under Wine is slow), waited for at step 5
local v2build=""
if [ -n "${MOTCUA_QUICK_UPGRADE:-}" ]; then
    # quick: the "later version" is this version's program under a later installer version (NSIS
    # only, minutes instead of a second PyInstaller run): the upgrade's mechanics and the data are
    # checked, the program's own --version then still says $v1
    local app1="$build/app-win-$v1/MotCua"
    [ -d "$app1" ] || app1="$build/app-win/MotCua"
    say "quick upgrade: $setup2 made from $app1"
    makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$v2" -DAPPDIR="$app1" -DICON="$build/icon/motcua.ico" \
        -DOUTFILE="$setup2" "$pk/installer.nsi" >"$build/build-$v2.log" 2>&1 &
    v2build=$!
elif [ "$reuse" != "--reuse" ] || [ ! -f "$setup2" ]; then
    rm -f "$setup2"
    MOTCUA_BUILD_VERSION=$v2 bash "$pk/build-windows.sh" >"$build/build-$v2.log" 2>&1 &
    v2build=$!
    say "building $v2 meanwhile (log: $build/build-$v2.log)"
fi

export WINEPREFIX="$build/wine-test" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
say "fresh Wine prefix $WINEPREFIX"
wineserver -k 2>/dev/null || true
rm -rf "$WINEPREFIX"
wineboot -i >/dev/null 2>&1
wineserver -w
local user c local_app roaming install
user=$(whoami)
c="$WINEPREFIX/drive_c"
local_app="$c/users/$user/AppData/Local"
roaming="$c/users/$user/AppData/Roaming"
install="$local_app/Programs/MotCua"
fail() { echo "FAILED: $*" >&2; exit 1; }

say "2. silent install of $v1"
local t=$SECONDS
winrun "$setup1" /S; wineserver -w
echo "   installed in $((SECONDS - t)) s: $(du -sh "$install" | cut -f1)"
[ -f "$install/MotCua.exe" ] && [ -f "$install/mot-cua.exe" ] && [ -f "$install/uninstall.exe" ] || fail "program files"
ls "$roaming/Microsoft/Windows/Start Menu/Programs/Một Cửa.lnk" "$c/users/$user/Desktop/Một Cửa.lnk" >/dev/null \
    || fail "shortcuts"
winrun reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\MotCua' 2>/dev/null | tr -d '\r' \
    | tee "$build/uninstall-entry.txt" | grep -q "DisplayVersion.*$v1" || fail "uninstall entry"
grep -q 'QuietUninstallString.*/S' "$build/uninstall-entry.txt" || fail "quiet uninstall string"

say "3. the installed command line"
local exe="$install/mot-cua.exe" out="$c/out"
mkdir -p "$out"
mc() { echo "   + mot-cua $*" >&2; winrun "$exe" "$@"; }
[ "$(mc --version | tr -d '\r')" = "mot-cua $v1" ] || fail "--version"
# an older version's data in the roaming folder, as 0.1.0 kept it
local old_db="C:\\users\\$user\\AppData\\Roaming\\MotCua\\MotCua\\motcua.db"
mc --db "$old_db" demo --cases 600 --years 1 >/dev/null
[ -f "$roaming/MotCua/MotCua/motcua.db" ] || fail "the old data folder"
local year
year=$(date +%Y)
mc indicators --period "$year" --json > "$out/indicators.json"   # no --db: the default folder
grep -q . "$out/indicators.json" || fail "indicators"
[ -f "$local_app/MotCua/MotCua/motcua.db" ] || fail "the data did not move to the local folder"
[ ! -f "$roaming/MotCua/MotCua/motcua.db" ] && [ -f "$roaming/MotCua/MotCua/DA-CHUYEN-DU-LIEU.txt" ] \
    || fail "the old folder is not marked as moved"
echo "   data moved: $(ls "$local_app/MotCua/MotCua" | tr '\n' ' ')"
for ext in pdf docx xlsx; do
    mc report --period "$year" --out "C:\\out\\report.$ext" >/dev/null
done
[ "$(head -c 4 "$out/report.pdf")" = "%PDF" ] && [ "$(head -c 2 "$out/report.docx")" = "PK" ] \
    && [ "$(head -c 2 "$out/report.xlsx")" = "PK" ] || fail "report files"
ls -la "$out" | sed 's/^/   /'
mc report --period "$year" --text > "$out/summary.txt"  # redirected: the ANSI code page unless UTF-8 is forced
python3 -c "import sys; t=open(sys.argv[1], encoding='utf-8').read(); assert 'hồ sơ' in t, t[:200]" "$out/summary.txt" \
    || fail "the summary printed to a file is not UTF-8 Vietnamese"
mc backup --out "C:\\out\\backup.db" > "$out/backup.txt" || fail "backup"
local before
before=$(python3 -c "import json,sys; print(len(json.dumps(json.load(open(sys.argv[1])), sort_keys=True)))" "$out/indicators.json")
mc restore "C:\\out\\backup.db" > "$out/restore.txt" || fail "restore"
mc check > "$out/check.txt" || fail "check after restore"
echo "   backup, restore and check: $(tr -d '\r' < "$out/check.txt" | head -n 1)"

say "4. the window under Xvfb at 1366x768"
local display=:77
Xvfb $display -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
local xvfb=$!
sleep 2
# Qt's Windows platform plugin, with its messages on stderr (a window program has no console)
# (through pipes: with a regular file as a standard stream Wine 8 gives Python an invalid handle and
# PyInstaller's window program stops with "Failed to start embedded python interpreter!")
DISPLAY=$display QT_FORCE_STDERR_LOGGING=1 WINEDEBUG=err+all winrun "$install/MotCua.exe" >"$build/window.log" 2>&1 &
local gui=$!
local waited=0
while [ $waited -lt "${MOTCUA_WINDOW_WAIT:-60}" ] && kill -0 "$gui" 2>/dev/null; do sleep 5; waited=$((waited + 5)); done
DISPLAY=$display import -window root "$dist/wine-window.png" || true
local windows
windows=$(DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -cE '^ +0x[0-9a-f]+ "[^"]+"' || true)
if kill -0 "$gui" 2>/dev/null; then
    echo "   MotCua.exe runs after ${waited} s; X windows with a name: $windows; screenshot: $dist/wine-window.png"
else
    code=0; wait "$gui" || code=$?
    echo "   MotCua.exe ENDED after ${waited} s with exit code $code; X windows: $windows; screenshot (the bare X root): $dist/wine-window.png"
    grep -E "UISettings|RoGetActivationFactory|QT:|qt\.|abort|Unable to" "$build/window.log" | head -n 6 | sed 's/^/   | /'
fi
wineserver -k || true
sleep 1

say "   an upgrade while the program runs is refused"
# a running Một Cửa holds the mutex whatever it does: a long command (a large demo into a scratch
# database) stands for a desk where the program is open (the window cannot stay open under Wine 8)
# (the mutex is taken before anything else, so the scratch file's being there says it is held; a fixed
# wait of 30 s let a quick machine finish a 300.000-case demo before the installer was tried)
rm -f "$out"/scratch.db*
winrun "$exe" --db 'C:\out\scratch.db' demo --cases 2000000 >"$build/held.log" 2>&1 &
local held=$! started=0
while [ $started -lt "${MOTCUA_START_WAIT:-120}" ] && [ ! -s "$out/scratch.db" ] && kill -0 "$held" 2>/dev/null; do
    sleep 1; started=$((started + 1))
done
kill -0 "$held" 2>/dev/null || { cat "$build/held.log"; fail "mot-cua.exe demo did not keep running"; }
echo "   mot-cua.exe demo running (its database there after ${started} s)"
local code=0
winrun "$setup1" /S || code=$?  # any installer of Một Cửa, this version's as well
[ "$code" = 2 ] || fail "the installer did not refuse while Một Cửa runs (exit $code)"
[ "$(mc --version | tr -d '\r')" = "mot-cua $v1" ] || fail "a refused upgrade changed the program"
echo "   refused with exit code 2"
kill "$held" 2>/dev/null || true
wineserver -k || true
kill "$xvfb" 2>/dev/null || true
sleep 1

if [ -n "$v2build" ]; then
    say "waiting for the build of $v2"
    wait "$v2build" || { tail -n 20 "$build/build-$v2.log"; fail "the build of $v2"; }
fi
local t_v2=$SECONDS
say "5. silent upgrade to $v2"
t=$SECONDS
winrun "$setup2" /S; wineserver -w
echo "   upgraded in $((SECONDS - t)) s"
if [ -n "${MOTCUA_QUICK_UPGRADE:-}" ]; then
    winrun reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\MotCua' | tr -d '\r' \
        | grep -q "DisplayVersion.*$v2" || fail "the upgrade (uninstall entry)"
    echo "   uninstall entry now says $v2 (quick upgrade: the program itself is $v1's)"
else
    [ "$(mc --version | tr -d '\r')" = "mot-cua $v2" ] || fail "the upgrade"
fi
mc indicators --period "$year" --json > "$out/indicators-after.json"
cmp -s <(tr -d '\r' < "$out/indicators.json") <(tr -d '\r' < "$out/indicators-after.json") \
    || fail "the data changed in the upgrade"
echo "   data kept: the same indicators before and after"

say "6. silent uninstall"
winrun "$install/uninstall.exe" /S; wineserver -w; sleep 3; wineserver -w
[ ! -e "$install/mot-cua.exe" ] && [ ! -e "$install/_internal" ] || fail "program files left"
[ ! -e "$c/users/$user/Desktop/Một Cửa.lnk" ] || fail "desktop shortcut left"
if winrun reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\MotCua' >/dev/null 2>&1; then
    fail "uninstall entry left"
fi
[ -f "$local_app/MotCua/MotCua/motcua.db" ] || fail "the data was removed"
echo "   program removed, data kept: $(ls "$local_app/MotCua/MotCua" | tr '\n' ' ')"
say "wine test passed in $((SECONDS - t0)) s: build of $v1 $((t_built - t0)) s, install and steps 2-4 $((t_v2 - t_built)) s (with the build of $v2 alongside), upgrade and uninstall $((SECONDS - t_v2)) s"
}
main "$@"; exit  # on one line: an edit of this file while it runs cannot derail it
