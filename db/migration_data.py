"""The data the shipped migrations load, frozen as they shipped: a copy, never edited.

``m004_catalogue`` loads the procedure catalogue, ``m009_evaluations`` the first
evaluation template, ``m016_trust`` the template of Nghị định 335/2025 (and compares
a database's base template with the first one to know whether it was ever edited).
The files in ``resources/`` may change with the program; what a migration does may not.
"""
from __future__ import annotations

import csv
import io
import json


def procedure_catalogue() -> list[dict]:
    return [{"name": r["name"], "field": r["field"], "processing_days": int(r["processing_days"]),
             "has_fee": int(r["has_fee"])} for r in csv.DictReader(io.StringIO(PROCEDURES_CSV))]


def evaluation_template() -> dict:
    return json.loads(EVALUATION_TEMPLATE_JSON)


def evaluation_template_335() -> dict:
    return json.loads(EVALUATION_TEMPLATE_335_JSON)


PROCEDURES_CSV = r"""name,field,processing_days,has_fee
Đăng ký khai sinh,Hộ tịch,0,0
Đăng ký kết hôn,Hộ tịch,0,0
Đăng ký khai tử,Hộ tịch,0,0
"Đăng ký nhận cha, mẹ, con",Hộ tịch,3,1
"Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",Hộ tịch,3,1
Cấp giấy xác nhận tình trạng hôn nhân,Hộ tịch,3,1
Cấp bản sao trích lục hộ tịch,Hộ tịch,0,1
Đăng ký khai sinh lại,Hộ tịch,5,1
Đăng ký lại kết hôn,Hộ tịch,5,1
Đăng ký giám hộ,Hộ tịch,3,1
Chứng thực bản sao từ bản chính,Chứng thực,0,1
"Chứng thực chữ ký trong các giấy tờ, văn bản",Chứng thực,0,1
"Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",Chứng thực,2,1
"Chứng thực hợp đồng, giao dịch liên quan đến quyền của người sử dụng đất",Chứng thực,2,1
Chứng thực di chúc,Chứng thực,2,1
Hòa giải tranh chấp đất đai,Đất đai,45,0
Đăng ký biến động quyền sử dụng đất,Đất đai,10,1
Xác nhận nguồn gốc sử dụng đất,Đất đai,10,0
Trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội,Bảo trợ xã hội,20,0
Hỗ trợ chi phí mai táng đối với đối tượng bảo trợ xã hội,Bảo trợ xã hội,3,0
"Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",Bảo trợ xã hội,15,0
Giải quyết chế độ mai táng phí đối với người có công,Người có công,5,0
Xét tặng danh hiệu Gia đình văn hóa,Văn hóa,5,0
Cấp giấy phép xây dựng nhà ở riêng lẻ,Xây dựng,15,1
Tặng giấy khen của Chủ tịch UBND cấp xã,Thi đua - Khen thưởng,10,0
"""

EVALUATION_TEMPLATE_JSON = r"""{
  "title": "PHIẾU ĐÁNH GIÁ KẾT QUẢ, HIỆU QUẢ LÀM VIỆC\nCỦA CÁN BỘ, CÔNG CHỨC TẠI BỘ PHẬN MỘT CỬA",
  "thresholds": [
    [90, "Hoàn thành xuất sắc nhiệm vụ"],
    [70, "Hoàn thành tốt nhiệm vụ"],
    [50, "Hoàn thành nhiệm vụ"],
    [0, "Không hoàn thành nhiệm vụ"]
  ],
  "criteria": [
    {"section": "A. Tiêu chí chung", "name": "Phẩm chất chính trị, đạo đức, lối sống", "max_points": 8, "rule": "manual", "param": ""},
    {"section": "A. Tiêu chí chung", "name": "Ý thức tổ chức kỷ luật, chấp hành nội quy, quy chế", "max_points": 8, "rule": "manual", "param": ""},
    {"section": "A. Tiêu chí chung", "name": "Thái độ phục vụ người dân; không bị phản ánh, khiếu nại", "max_points": 8, "rule": "manual", "param": ""},
    {"section": "A. Tiêu chí chung", "name": "Tinh thần chủ động, đổi mới, sáng tạo trong công việc", "max_points": 6, "rule": "manual", "param": ""},
    {"section": "B. Kết quả thực hiện nhiệm vụ", "name": "Giải quyết hồ sơ đúng hạn", "max_points": 20, "rule": "rate", "param": "on_time"},
    {"section": "B. Kết quả thực hiện nhiệm vụ", "name": "Không để hồ sơ quá hạn (mỗi hồ sơ trừ 25% số điểm)", "max_points": 10, "rule": "failures", "param": "25"},
    {"section": "B. Kết quả thực hiện nhiệm vụ", "name": "Số hoá đầy đủ thành phần hồ sơ khi tiếp nhận", "max_points": 15, "rule": "rate", "param": "digitized_on_receipt"},
    {"section": "B. Kết quả thực hiện nhiệm vụ", "name": "Số hoá kết quả giải quyết TTHC", "max_points": 10, "rule": "rate", "param": "result_digitized"},
    {"section": "B. Kết quả thực hiện nhiệm vụ", "name": "Tiếp nhận hồ sơ trực tuyến", "max_points": 5, "rule": "rate", "param": "online"},
    {"section": "B. Kết quả thực hiện nhiệm vụ", "name": "Thanh toán phí, lệ phí trực tuyến", "max_points": 5, "rule": "rate", "param": "paid_online"},
    {"section": "B. Kết quả thực hiện nhiệm vụ", "name": "Chứng thực điện tử bản sao từ bản chính", "max_points": 5, "rule": "e_certified", "param": "Chứng thực"}
  ]
}
"""

EVALUATION_TEMPLATE_335_JSON = r"""{
 "title": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG\nCÁN BỘ, CÔNG CHỨC TẠI BỘ PHẬN MỘT CỬA",
 "thresholds": [[90, "Hoàn thành xuất sắc nhiệm vụ"], [70, "Hoàn thành tốt nhiệm vụ"],
                [50, "Hoàn thành nhiệm vụ"], [0, "Không hoàn thành nhiệm vụ"]],
 "criteria": [
  {"key": "chinh_tri", "section": "A. Tiêu chí chung", "name": "Phẩm chất chính trị, đạo đức, lối sống", "max_points": 8, "rule": "manual", "param": ""},
  {"key": "ky_luat", "section": "A. Tiêu chí chung", "name": "Ý thức tổ chức kỷ luật, chấp hành nội quy, quy chế", "max_points": 8, "rule": "manual", "param": ""},
  {"key": "phuc_vu", "section": "A. Tiêu chí chung", "name": "Trách nhiệm, thái độ phục vụ người dân, doanh nghiệp", "max_points": 8, "rule": "manual", "param": ""},
  {"key": "doi_moi", "section": "A. Tiêu chí chung", "name": "Tinh thần chủ động, đổi mới, sáng tạo", "max_points": 6, "rule": "manual", "param": ""},
  {"key": "so_luong", "section": "B. Kết quả thực hiện nhiệm vụ", "name": "Số lượng: hồ sơ được giao đã giải quyết xong (mỗi hồ sơ quá hạn chưa giải quyết trừ 25% điểm của hồ sơ đó)", "max_points": 20, "rule": "quantity", "param": "25"},
  {"key": "chat_luong", "section": "B. Kết quả thực hiện nhiệm vụ", "name": "Chất lượng: số hoá đầy đủ khi tiếp nhận và số hoá kết quả (mỗi hồ sơ không đạt trừ 25% điểm của hồ sơ đó)", "max_points": 25, "rule": "quality", "param": "25"},
  {"key": "tien_do", "section": "B. Kết quả thực hiện nhiệm vụ", "name": "Tiến độ: giải quyết trước hạn, đúng hạn (mỗi hồ sơ trễ hạn trừ 25% điểm của hồ sơ đó)", "max_points": 25, "rule": "timeliness", "param": "25"}
 ]
}
"""
