"""The Qt binding itself must not break the program: PySide6 6.12.0 lost a reference to ``True`` on
every ``Signal.emit()`` from Python, and the process aborted after about two thousand emits."""
import subprocess
import sys
import textwrap


def test_many_signal_emits_do_not_abort_the_process():
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QCoreApplication, QObject, Signal
        app = QCoreApplication([])
        class A(QObject):
            s = Signal(int)
        a = A()
        seen = []
        a.s.connect(seen.append)
        before = sys.getrefcount(True)
        for i in range(20000):
            a.s.emit(i)
        drift = before - sys.getrefcount(True)
        print(len(seen), drift)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    count, drift = map(int, out.stdout.split())
    assert count == 20000
    assert abs(drift) < 100  # references to True are not lost one per emit
