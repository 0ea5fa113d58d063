; The Windows installer of Một Cửa: per user (no administrator rights), in Vietnamese.
; Built by packaging/build-windows.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DAPPDIR=<PyInstaller's MotCua folder> -DICON=motcua.ico
;            -DOUTFILE=MotCua-0.1.0-setup.exe installer.nsi
; As Anki's installer does: installed under %LOCALAPPDATA%\Programs, an uninstall entry in HKCU
; (Apps & features) with a quiet uninstall string, Start-menu and desktop shortcuts, a refusal while
; the program runs, and an uninstaller that keeps the user's data and says so.
; Silent: MotCua-…-setup.exe /S  (optionally /D=C:\path, last); uninstall: uninstall.exe /S.
; Exit codes: 0 done, 1 cancelled, 2 refused because Một Cửa is running.

Unicode true
Target amd64-unicode
RequestExecutionLevel user
SetCompressor /SOLID lzma
ManifestDPIAware true

!ifndef VERSION
  !error "-DVERSION=… is required"
!endif
!define APP "MotCua"
!define NAME "Một Cửa"
!define PUBLISHER "Bộ phận Một cửa"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define RUNNING_MUTEX "MotCua-running"  ; held by MotCua.exe and mot-cua.exe while they run (main.py)

Name "${NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Cài đặt ${NAME} ${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "Chương trình sẽ cài ${NAME} ${VERSION} cho tài khoản của bạn trên máy này (không cần quyền quản trị).$\r$\n$\r$\nNếu đã có phiên bản cũ, bản mới sẽ thay thế nó; dữ liệu (hồ sơ, bản sao lưu) được giữ nguyên.$\r$\n$\r$\nHãy đóng ${NAME} trước khi cài."
!define MUI_FINISHPAGE_RUN "$INSTDIR\MotCua.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${NAME} ngay"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "Gỡ ${NAME} khỏi máy. Dữ liệu của bạn (cơ sở dữ liệu, bản sao lưu trong $LOCALAPPDATA\${APP}) được GIỮ LẠI: cài lại là dùng tiếp được. Muốn xoá hẳn dữ liệu thì xoá thư mục đó sau khi gỡ."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

!macro REFUSE_WHILE_RUNNING
  ; the program holds a named mutex while it runs; files in use could not be replaced or removed
  System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "${RUNNING_MUTEX}") p .r0'
  ${If} $0 P<> 0
    System::Call 'kernel32::CloseHandle(p r0)'
    IfSilent +2
    MessageBox MB_OK|MB_ICONEXCLAMATION "${NAME} đang chạy. Hãy đóng chương trình (mọi cửa sổ và dòng lệnh mot-cua) rồi chạy lại."
    SetErrorLevel 2
    Quit
  ${EndIf}
!macroend

Function .onInit
  !insertmacro REFUSE_WHILE_RUNNING
FunctionEnd

Function un.onInit
  !insertmacro REFUSE_WHILE_RUNNING
FunctionEnd

Section "Một Cửa" main
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; an upgrade: the old version's program files go first, so none of them lingers; the data is elsewhere
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\MotCua.exe"
  Delete "$INSTDIR\mot-cua.exe"
  File /r "${APPDIR}\*.*"
  File "/oname=$INSTDIR\motcua.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\MotCua.exe" "" "$INSTDIR\motcua.ico" 0 SW_SHOWNORMAL "" "Sổ theo dõi hồ sơ TTHC, chỉ số và đánh giá cán bộ"
  CreateShortcut "$DESKTOP\${NAME}.lnk" "$INSTDIR\MotCua.exe" "" "$INSTDIR\motcua.ico" 0

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\motcua.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${NAME}.lnk"
  Delete "$DESKTOP\${NAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\MotCua.exe"
  Delete "$INSTDIR\mot-cua.exe"
  Delete "$INSTDIR\motcua.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  ; the data ($LOCALAPPDATA\MotCua: the database and its backups) is never touched
  IfSilent +2
  MessageBox MB_OK|MB_ICONINFORMATION "Đã gỡ ${NAME}. Dữ liệu của bạn vẫn ở $LOCALAPPDATA\${APP} (cài lại là dùng tiếp được)."
SectionEnd
