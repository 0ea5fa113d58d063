#!/usr/bin/env bash
# Everything that is shipped, from a clean clone on Linux (Debian: apt-get install -y wine wine64 nsis):
#   packaging/dist/MotCua-<version>-setup.exe          the Windows installer (per user, Vietnamese)
#   packaging/dist/MotCua-<version>-portable.zip       the same program, unzip and run MotCua.exe
#   packaging/dist/MotCua-<version>-linux-x86_64.tar.gz the Linux bundle
# The version is core/domain/version.py's. Checked under Wine by packaging/wine-test.sh.
main() {
    local here
    here=$(dirname "$0")
    bash "$here/build-windows.sh"
    bash "$here/build-linux.sh"
    (cd "$here/dist" && sha256sum MotCua-* | tee SHA256SUMS.txt)
}
main "$@"; exit  # on one line: an edit of this file while it runs cannot derail it
