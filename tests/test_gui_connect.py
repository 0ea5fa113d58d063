"""The choice of where the data is: a file, or the office's PostgreSQL server; a server that is away."""
from pathlib import Path

from db.store import Store
from gui.connect_dialog import ConnectDialog, server_url


def test_a_server_that_is_away_is_told_and_the_dialog_keeps_what_was_typed(qtbot, tmp_path, pg_server,
                                                                           monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    dialog = ConnectDialog(tmp_path / "motcua.db")
    qtbot.addWidget(dialog)
    dialog.on_server.setChecked(True)
    assert dialog.server.isEnabled()
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(9)  # nothing listens there: the server is "switched off"
    dialog.database.setText("vanphong")
    dialog.user.setText("motcua")
    dialog.password.setText("mật khẩu 1")
    assert dialog.try_connect() is False
    assert "Không kết nối được cơ sở dữ liệu vanphong" in dialog.error.text()
    assert (dialog.host.text(), dialog.port.value(), dialog.database.text(), dialog.user.text(),
            dialog.password.text()) == ("127.0.0.1", 9, "vanphong", "motcua", "mật khẩu 1")
    assert dialog.connect_button.text() == "&Thử lại"
    # the server is back (here: the test server's URL is what the fields name)
    url = pg_server.new_database()
    dialog._open = lambda location: Store.open(url)
    assert dialog.try_connect() is True
    assert dialog.store is not None and dialog.store.engine == "postgresql"
    dialog.store.close()
    # remembered without the password, which goes to libpq's password file only
    assert dialog.location == "postgresql://motcua@127.0.0.1:9/vanphong"
    assert (tmp_path / "pgpass").read_text(encoding="utf-8") == "127.0.0.1:9:vanphong:motcua:mật khẩu 1\n"
    again = ConnectDialog(tmp_path / "motcua.db")
    qtbot.addWidget(again)
    again.prefill(dialog.location, "Không kết nối được")
    assert (again.host.text(), again.port.value(), again.database.text(), again.user.text()) == \
        ("127.0.0.1", 9, "vanphong", "motcua")
    assert again.on_server.isChecked() and again.connect_button.text() == "&Thử lại"


def test_the_url_is_built_from_the_fields(tmp_path):
    assert server_url("may-chu", 5432, "motcua", "ban1", "") == "postgresql://ban1@may-chu/motcua"
    assert server_url("10.0.0.2", 5433, "motcua", "ban 1", "a@b") == "postgresql://ban%201:a%40b@10.0.0.2:5433/motcua"


def test_a_file_on_this_pc_is_the_default(qtbot, tmp_path):
    dialog = ConnectDialog(tmp_path / "motcua.db", opener=lambda location: location)
    qtbot.addWidget(dialog)
    assert not dialog.server.isEnabled()
    assert dialog.try_connect() is True and dialog.location == Path(tmp_path / "motcua.db")
