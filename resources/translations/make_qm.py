"""Qt's own strings in Vietnamese: writes qtbase_vi.ts from the table below and compiles qtbase_vi.qm.

PySide6 ships no Vietnamese translation of Qt (no qtbase_vi.qm under PySide6/Qt/translations), so the
program ships its own for what it shows: standard buttons, message boxes, file and print dialogs, the
right-click menus of text fields and spin boxes, scroll bars, undo. The source texts and contexts are
Qt's own (read from qtbase_fr.qm of PySide6 6.x). Run after editing the table:

    python resources/translations/make_qm.py      # needs pyside6-lrelease (installed with PySide6)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

VI: dict[str, dict[str, str]] = {
    "QPlatformTheme": {
        "OK": "Đồng ý", "Save": "Lưu", "Save All": "Lưu tất cả", "Open": "Mở", "&Yes": "&Có",
        "Yes to &All": "Có với &tất cả", "&No": "&Không", "N&o to All": "Khô&ng với tất cả",
        "Abort": "Huỷ bỏ", "Retry": "Thử lại", "Ignore": "Bỏ qua", "Close": "Đóng", "Cancel": "Hủy",
        "Discard": "Không lưu", "Help": "Trợ giúp", "Apply": "Áp dụng", "Reset": "Đặt lại",
        "Restore Defaults": "Khôi phục mặc định",
    },
    "QDialogButtonBox": {"OK": "Đồng ý"},
    "QMessageBox": {"Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…",
                    "About Qt": "Về Qt"},
    "QInputDialog": {"Enter a value:": "Nhập một giá trị:"},
    "QProgressDialog": {"Cancel": "Hủy"},
    "QLineEdit": {
        "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "Sao &chép", "&Paste": "&Dán",
        "Delete": "Xoá", "Select All": "Chọn tất cả",
    },
    "QWidgetTextControl": {
        "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "Sao &chép", "&Paste": "&Dán",
        "Delete": "Xoá", "Select All": "Chọn tất cả", "Copy &Link Location": "Sao chép địa chỉ &liên kết",
    },
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "&Tăng", "Step &down": "&Giảm"},
    "QScrollBar": {
        "Scroll here": "Cuộn đến đây", "Left edge": "Mép trái", "Top": "Đầu", "Right edge": "Mép phải",
        "Bottom": "Cuối", "Page left": "Trang trái", "Page up": "Trang trên", "Page right": "Trang phải",
        "Page down": "Trang dưới", "Scroll left": "Cuộn trái", "Scroll up": "Cuộn lên",
        "Scroll right": "Cuộn phải", "Scroll down": "Cuộn xuống",
    },
    "QUndoStack": {"Undo": "Hoàn tác", "Redo": "Làm lại", "Undo %1": "Hoàn tác %1", "Redo %1": "Làm lại %1"},
    "QUndoGroup": {"Undo": "Hoàn tác", "Redo": "Làm lại", "Undo %1": "Hoàn tác %1", "Redo %1": "Làm lại %1"},
    "QUndoModel": {"<empty>": "<trống>"},
    "QFileDialog": {
        "Look in:": "Tìm trong:", "File &name:": "&Tên tệp:", "Files of type:": "Loại tệp:",
        "&Look in:": "Tìm t&rong:", "Files of &type:": "&Loại tệp:",  # the labels of Qt 6
        "&Open": "&Mở", "&Save": "&Lưu", "&Choose": "&Chọn", "Open": "Mở", "Save As": "Lưu thành",
        "Back": "Lùi", "Forward": "Tới", "Parent Directory": "Thư mục cha", "Go back": "Quay lại",
        "Go forward": "Đi tới", "Go to the parent directory": "Lên thư mục cha",
        "Create New Folder": "Tạo thư mục mới", "Create a New Folder": "Tạo một thư mục mới",
        "New Folder": "Thư mục mới", "&New Folder": "Thư mục &mới", "List View": "Dạng danh sách",
        "Detail View": "Dạng chi tiết", "Change to list view mode": "Xem dạng danh sách",
        "Change to detail view mode": "Xem dạng chi tiết", "&Rename": "Đổi &tên", "&Delete": "&Xoá",
        "Delete": "Xoá", "Remove": "Bỏ", "Show &hidden files": "Hiện tệp ẩ&n", "Directory:": "Thư mục:",
        "Directories": "Thư mục", "Files": "Tệp", "File": "Tệp", "%1 File": "Tệp %1", "File Folder": "Thư mục",
        "Folder": "Thư mục", "Alias": "Bí danh", "Shortcut": "Lối tắt", "Unknown": "Không rõ", "Drive": "Ổ đĩa",
        "My Computer": "Máy tính", "Recent Places": "Nơi mở gần đây", "Sidebar": "Thanh bên",
        "List of places and bookmarks": "Các nơi và dấu trang", "Find Directory": "Tìm thư mục",
        "All Files (*)": "Mọi tệp (*)", "All files (*)": "Mọi tệp (*)", "Show ": "Hiện ",
        "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nGhi đè lên tệp đó?",
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
        "Are you sure you want to delete '%1'?": "Xoá '%1'?",
        "'%1' is write protected.\nDo you want to delete it anyway?": "'%1' đang được bảo vệ.\nVẫn xoá?",
        "Could not delete directory.": "Không xoá được thư mục.",
    },
    "QFileSystemModel": {
        "Name": "Tên", "Size": "Cỡ", "Type": "Loại", "Kind": "Loại", "Date Modified": "Ngày sửa",
        "My Computer": "Máy tính", "Computer": "Máy tính", "Invalid filename": "Tên tệp không hợp lệ",
        '<b>The name "%1" cannot be used.</b><p>Try using another name, with fewer characters or no '
        'punctuation marks.': '<b>Không dùng được tên "%1".</b><p>Hãy đặt tên khác, ngắn hơn hoặc không có '
                              'dấu câu.',
    },
    "QAbstractFileIconProvider": {"Folder": "Thư mục", "File": "Tệp", "%1 File": "Tệp %1", "Drive": "Ổ đĩa",
                                  "Unknown": "Không rõ", "Alias": "Bí danh", "Shortcut": "Lối tắt"},
    "QPrintDialog": {
        "Print": "In", "&Print": "&In", "OK": "Đồng ý", "All Pages": "Mọi trang", "Odd Pages": "Trang lẻ",
        "Even Pages": "Trang chẵn", "&Options >>": "&Tuỳ chọn >>", "&Options <<": "&Tuỳ chọn <<",
        "Print to File (PDF)": "In ra tệp (PDF)", "Print To File ...": "In ra tệp…", "Local file": "Tệp trên máy",
        "Write PDF file": "Ghi tệp PDF", "Invalid Pages Definition": "Dải trang không hợp lệ",
        "The 'From' value cannot be greater than the 'To' value.": "Trang 'Từ' không được lớn hơn trang 'Đến'.",
        "%1 already exists.\nDo you want to overwrite it?": "%1 đã có.\nGhi đè?",
        "%1 is a directory.\nPlease choose a different file name.": "%1 là một thư mục.\nHãy chọn tên tệp khác.",
        "File %1 is not writable.\nPlease choose a different file name.":
            "Không ghi được tệp %1.\nHãy chọn tên tệp khác.",
        "Duplex Settings Conflicts": "Thiết lập in hai mặt mâu thuẫn",
        "There are conflicts in duplex settings. Do you want to fix them?":
            "Thiết lập in hai mặt mâu thuẫn. Sửa lại?",
        "Left to Right, Top to Bottom": "Trái sang phải, trên xuống dưới",
        "Left to Right, Bottom to Top": "Trái sang phải, dưới lên trên",
        "Right to Left, Bottom to Top": "Phải sang trái, dưới lên trên",
        "Right to Left, Top to Bottom": "Phải sang trái, trên xuống dưới",
        "Bottom to Top, Left to Right": "Dưới lên trên, trái sang phải",
        "Bottom to Top, Right to Left": "Dưới lên trên, phải sang trái",
        "Top to Bottom, Left to Right": "Trên xuống dưới, trái sang phải",
        "Top to Bottom, Right to Left": "Trên xuống dưới, phải sang trái",
    },
    "QPrintWidget": {
        "Printer": "Máy in", "&Name:": "&Tên:", "P&roperties": "Thuộc tí&nh", "Location:": "Vị trí:",
        "Preview": "Xem trước", "Type:": "Loại:", "Output &file:": "Tệp &ra:", "Form": "Mẫu", "...": "…",
    },
    "QPrintPropertiesWidget": {"Page": "Trang", "Advanced": "Nâng cao", "Form": "Mẫu",
                               "There are conflicts in some options. Please fix them.":
                                   "Một số tuỳ chọn mâu thuẫn nhau. Hãy sửa lại."},
    "QPrintSettingsOutput": {
        "Copies": "Số bản", "Copies:": "Số bản:", "Collate": "Sắp theo bộ", "Reverse": "In ngược",
        "Options": "Tuỳ chọn", "Color Mode": "Màu", "Color": "Màu", "Grayscale": "Đen trắng",
        "Double Sided Printing": "In hai mặt", "Off": "Tắt", "Long side binding": "Đóng gáy cạnh dài",
        "Short side binding": "Đóng gáy cạnh ngắn", "Print range": "Phạm vi in", "Print all": "In tất cả",
        "Pages from": "Từ trang", "to": "đến", "Pages": "Trang", "Current Page": "Trang hiện tại",
        "Selection": "Phần đã chọn", "Page Set:": "Nhóm trang:", "Page &Set:": "&Nhóm trang:",
        "Output Settings": "Thiết lập in",
        "Form": "Mẫu",
        "Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a "
        "hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.":
            "Ghi các trang hoặc dải trang cách nhau bởi dấu phẩy, dải trang là hai số nối bằng gạch ngang. "
            "Ví dụ: 3,5-7,9 in các trang 3, 5, 6, 7 và 9.",
    },
    "QPageSetupWidget": {
        "Paper": "Giấy", "Page size:": "Khổ giấy:", "Width:": "Rộng:", "Height:": "Cao:",
        "Paper source:": "Khay giấy:", "Orientation": "Hướng giấy", "Portrait": "Dọc", "Landscape": "Ngang",
        "Reverse landscape": "Ngang ngược", "Reverse portrait": "Dọc ngược", "Margins": "Lề",
        "top margin": "lề trên", "bottom margin": "lề dưới", "left margin": "lề trái",
        "right margin": "lề phải", "Page Layout": "Bố cục trang", "Page order:": "Thứ tự trang:",
        "Pages per sheet:": "Số trang mỗi tờ:", "Custom": "Tuỳ chỉnh", "Millimeters (mm)": "Mi-li-mét (mm)",
        "Inches (in)": "Inch (in)", "Points (pt)": "Point (pt)", "Form": "Mẫu",
    },
    "QPrintPreviewDialog": {
        "Print Preview": "Xem trước khi in", "Print": "In", "Next page": "Trang sau",
        "Previous page": "Trang trước", "First page": "Trang đầu", "Last page": "Trang cuối",
        "Fit width": "Vừa chiều rộng", "Fit page": "Vừa trang", "Zoom in": "Phóng to", "Zoom out": "Thu nhỏ",
        "Portrait": "Dọc", "Landscape": "Ngang", "Show single page": "Từng trang",
        "Show facing pages": "Hai trang đối diện", "Show overview of all pages": "Mọi trang",
        "Page setup": "Thiết lập trang", "Page Setup": "Thiết lập trang", "Export to PDF": "Xuất PDF",
    },
    "QPageSize": {"Custom": "Tuỳ chỉnh", "Letter / ANSI A": "Letter / ANSI A"},
    "QCupsJobWidget": {
        "Job": "Lệnh in", "Job Control": "Điều khiển lệnh in", "Scheduled printing:": "Hẹn giờ in:",
        "Print Immediately": "In ngay", "Hold Indefinitely": "Giữ lại", "Specific Time": "Vào giờ định sẵn",
        "Billing information:": "Thông tin tính phí:", "Job priority:": "Độ ưu tiên:",
        "Banner Pages": "Trang bìa", "Start:": "Đầu:", "End:": "Cuối:", "None": "Không",
        "Standard": "Chuẩn",
    },
    "QErrorMessage": {"&OK": "&Đồng ý", "&Show this message again": "&Hiện lại thông báo này",
                      "Warning:": "Cảnh báo:", "Information:": "Thông tin:", "Critical Error:": "Lỗi nghiêm trọng:",
                      "Fatal Error:": "Lỗi không thể tiếp tục:", "Debug Message:": "Thông báo gỡ lỗi:"},
    "QWizard": {"< &Back": "< &Lùi", "&Next >": "&Tiếp >", "&Next": "&Tiếp", "&Finish": "&Xong",
                "Cancel": "Hủy", "Help": "Trợ giúp", "&Help": "&Trợ giúp", "Done": "Xong", "Continue": "Tiếp tục"},
    "QToolBar": {},
}


def ts_text() -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<!DOCTYPE TS>', '<TS version="2.1" language="vi_VN">']
    for context, messages in VI.items():
        if not messages:
            continue
        lines.append(f"<context>\n    <name>{context}</name>")
        for source, translation in messages.items():
            lines.append(f"    <message>\n        <source>{escape(source)}</source>\n"
                         f"        <translation>{escape(translation)}</translation>\n    </message>")
        lines.append("</context>")
    lines.append("</TS>")
    return "\n".join(lines) + "\n"


def main() -> int:
    ts = HERE / "qtbase_vi.ts"
    ts.write_text(ts_text(), encoding="utf-8")
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(HERE / "qtbase_vi.qm")], check=True)
    print(HERE / "qtbase_vi.qm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
