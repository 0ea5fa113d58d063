"""Names in Vietnamese alphabetical order, in Python and in SQL (COLLATE vi)."""
from core.domain import vnsort


def test_letters_in_the_order_of_the_vietnamese_alphabet():
    # a ă â b c d đ e ê … o ô ơ … u ư v x y: each letter with its marks has its own place
    words = ["y", "ư", "u", "ơ", "ô", "o", "ê", "e", "đ", "d", "â", "ă", "a", "v", "x"]
    assert vnsort.sort(words) == ["a", "ă", "â", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư", "v", "x", "y"]


def test_tones_count_after_the_letters():
    # the letters decide first (Anh < Ánh < Ăn), the tone only between equal letters:
    # none, huyền, hỏi, ngã, sắc, nặng
    assert vnsort.sort(["ạ", "á", "ã", "ả", "à", "a"]) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert vnsort.sort(["Ăn", "Ánh", "Anh", "An"]) == ["An", "Anh", "Ánh", "Ăn"]
    assert vnsort.sort(["Hồng", "Hồ", "Hoàng", "Ho"]) == ["Ho", "Hoàng", "Hồ", "Hồng"]


def test_do_sorts_before_vu_and_a_combining_accent_is_the_same_name():
    names = ["Vũ Thị Mai", "Đỗ Quang Minh", "Dương Văn Bình", "Đinh Văn An", "Yến"]
    assert vnsort.sort(names) == ["Dương Văn Bình", "Đinh Văn An", "Đỗ Quang Minh", "Vũ Thị Mai", "Yến"]
    assert vnsort.key("Đỗ") == vnsort.key("Đo\u0302\u0303")  # NFD typed: the same key
    assert sorted(names) != vnsort.sort(names)  # the code-point order is wrong (Đ is U+0110)


def test_sql_lists_use_the_vietnamese_collation(store):
    for name in ("Vũ Thị Mai", "Đỗ Quang Minh", "Bùi Văn Ánh", "Bùi Văn Anh", "Đinh Văn An"):
        store.add_officer(name)
    assert [o["name"] for o in store.officers()] == [
        "Bùi Văn Anh", "Bùi Văn Ánh", "Đinh Văn An", "Đỗ Quang Minh", "Vũ Thị Mai"]
    rows = store.db.execute("SELECT name FROM officers ORDER BY name COLLATE vi DESC").fetchall()
    assert rows[0][0] == "Vũ Thị Mai" and rows[-1][0] == "Bùi Văn Anh"


def test_the_register_sorts_officers_and_fields_in_vietnamese_order(store):
    import datetime as dt

    from db.register import RegisterFilter
    from tests.conftest import case

    day = dt.date(2023, 9, 5)
    store.insert_cases([
        case("A1", officer="Vũ Thị Mai", field="Văn hóa", received_date=day, due_date=day),
        case("A2", officer="Đỗ Quang Minh", field="Đất đai", received_date=day, due_date=day),
        case("A3", officer="Dương Văn Bình", field="Chứng thực", received_date=day, due_date=day),
        case("A4", officer="Đinh Văn An", field="Hộ tịch", received_date=day, due_date=day),
    ])
    rows = store.cases.page(RegisterFilter(), sort="officer", descending=False, today=day)
    assert [r["officer"] for r in rows] == ["Dương Văn Bình", "Đinh Văn An", "Đỗ Quang Minh", "Vũ Thị Mai"]
    rows = store.cases.page(RegisterFilter(), sort="field", descending=True, today=day)
    assert [r["field"] for r in rows] == ["Văn hóa", "Hộ tịch", "Đất đai", "Chứng thực"]
