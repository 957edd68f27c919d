"""The detector benchmark prints figures (it asserts nothing about speed)."""
from bot.cli import main


def test_bench_detector_prints_per_message_figures(tmp_path, capsys):
    cases = tmp_path / "cases.yml"
    cases.write_text('cases:\n  - {text: "I am bleeding", escalate: true, severity: emergency}\n'
                     '  - {text: "when are results due", escalate: false, severity: null}\n')
    assert main(["bench-detector", "--cases", str(cases), "--repeat", "2"]) == 0
    out = capsys.readouterr().out
    assert "safety table" in out and "2 messages, 4 calls" in out and "p95" in out
    assert "long messages" in out
