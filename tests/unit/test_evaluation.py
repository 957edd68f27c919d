"""The scorer used by the end-to-end test and `make eval`."""
from bot.evaluation import TurnResult, read_replies, score


def test_read_replies_takes_first_topic_and_highest_severity():
    replies = [{"text": "hi"}, {"custom": {"topic": "red_flag", "escalate": True, "severity": "urgent"}},
               {"custom": {"topic": "pain", "escalate": False, "severity": "emergency"}}]
    assert read_replies(replies) == {"topic": "red_flag", "escalate": True, "severity": "emergency"}
    assert read_replies([]) == {"topic": None, "escalate": False, "severity": None}


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
