"""Before Qt starts on Linux: say in plain words which system package is missing.

Without them Qt aborts with "could not load the Qt platform plugin xcb", which tells
an office nothing. No Qt is imported here.
"""
from __future__ import annotations

import ctypes.util
import os
import sys

# the libraries Qt's xcb plugin loads that a fresh desktop may lack, with the Debian/Ubuntu package
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}


def problem(platform: str = sys.platform, env: dict | None = None, find=ctypes.util.find_library) -> str | None:
    """A Vietnamese message when the window cannot open on this Linux machine, else None."""
    env = os.environ if env is None else env
    chosen = env.get("QT_QPA_PLATFORM", "")
    if not platform.startswith("linux") or (chosen and not chosen.startswith("xcb")):
        return None  # Windows, macOS, Wayland, offscreen: Qt brings what it needs
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("Không có màn hình đồ hoạ (biến DISPLAY trống): hãy mở chương trình trong phiên làm việc có "
                "giao diện, hoặc dùng các lệnh dòng lệnh (python main.py --help).")
    if env.get("WAYLAND_DISPLAY") and not chosen:
        return None  # Qt uses Wayland first
    missing = [package for library, package in XCB_LIBRARIES.items() if not find(library)]
    if not missing:
        return None
    return ("Máy còn thiếu thư viện hệ thống mà Qt cần để mở cửa sổ: " + ", ".join(missing) + ".\n"
            "Cài bằng lệnh:\n    sudo apt install " + " ".join(missing) + "\n"
            "rồi mở lại chương trình. (Các lệnh dòng lệnh vẫn dùng được.)")
