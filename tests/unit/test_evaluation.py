"""The scorer used by the end-to-end test and `make eval`."""
from bot.evaluation import TurnResult, read_replies, score


def test_read_replies_takes_first_topic_and_highest_severity():
    replies = [{"text": "hi"}, {"custom": {"topic": "red_flag", "escalate": True, "severity": "urgent"}},
               {"custom": {"topic": "pain", "escalate": False, "severity": "emergency"}}]
    seen = read_replies(replies)
    assert (seen["topic"], seen["escalate"], seen["severity"]) == ("red_flag", True, "emergency")
    empty = read_replies([])
    assert (empty["topic"], empty["escalate"], empty["severity"]) == (None, False, None)


def test_read_replies_keeps_what_chose_the_topic():
    replies = [{"custom": {"topic": "pain", "escalate": False, "severity": None, "answer_id": "pain@v1",
                           "basis": "model", "confidence": 0.82}}]
    seen = read_replies(replies)
    assert (seen["basis"], seen["confidence"], seen["answer_id"]) == ("model", 0.82, "pain@v1")


def _turn(expected_topics, escalate, severity, topic, got_escalate, got_severity, ms=10.0):
    return TurnResult("c", "t", {"topics": expected_topics, "escalate": escalate,
                                 "severity": severity}, topic, got_escalate, got_severity, ms)


def test_score():
    results = [
        _turn(["pain"], False, None, "pain", False, None, 10),
        _turn(["pain"], False, None, "timing", False, None, 20),
        _turn(["results"], False, None, "red_flag", True, "urgent", 30),
        _turn(["red_flag"], True, "emergency", "red_flag", True, "urgent", 40),
        _turn(["red_flag"], True, "urgent", "red_flag", True, "urgent", 50),
    ]
    scores = score(results)
    assert scores.topic_accuracy == 1 / 3
    assert scores.escalation_recall == 1.0
    assert scores.false_escalation_rate == 1 / 3
    assert scores.emergency_under_triage == 1
    assert scores.p50_ms == 30


def test_answers_below_the_fallback_threshold_and_out_of_scope_are_counted():
    def turn(expected, topic, basis, confidence):
        return TurnResult("c", "t", {"topics": expected, "escalate": False, "severity": None},
                          topic, False, None, 10.0, basis, confidence)

    results = [turn(["pain"], "pain", "model", 0.9), turn(["pain"], "pain", "model", 0.2),
               turn(["why_done"], "why_done", "context", 0.1), turn(["out_of_scope"], "out_of_scope", "model", 0.6),
               turn(["out_of_scope"], "fallback", "model", 0.3), turn(["timing"], "red_flag", None, None)]
    scores = score(results, fallback_threshold=0.3)
    assert (scores.answers_by_model, scores.answers_below_threshold, scores.answers_by_context) == (3, 1, 1)
    assert (scores.out_of_scope_accuracy, scores.out_of_scope_turns) == (0.5, 2)


def test_report_has_plots_and_the_wrong_turns(tmp_path):
    from bot.eval_report import write_report

    results = [TurnResult("c1", "does it hurt", {"topics": ["pain"], "escalate": False, "severity": None,
                                                 "style": "plain"}, "pain", False, None, 10.0, "model", 0.9),
               TurnResult("c2", "is it | safe", {"topics": ["timing"], "escalate": False, "severity": None,
                                                 "style": "typo"}, "pain", False, None, 12.0, "model", 0.5)]
    folder = write_report([("set.jsonl", results, score(results, 0.3))], tmp_path, "models/x.tar.gz")
    report = (folder / "report.md").read_text()
    assert (folder / "confusion-set.png").stat().st_size > 1000
    assert (folder / "confidence-set.png").stat().st_size > 1000
    assert "| typo | 0 | 1 | 0.000 |" in report and "is it \\| safe" in report
