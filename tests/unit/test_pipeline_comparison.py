"""Reading Rasa's cross-validation reports into the pipeline comparison table."""
from bot.pipeline_comparison import as_markdown, result_from_report

REPORT = {
    "accuracy": 0.91,
    "macro avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.905, "support": 100},
    "weighted avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.912, "support": 100},
    "out_of_scope": {"precision": 0.95, "recall": 0.9, "f1-score": 0.924, "support": 20},
}


def test_figures_come_from_the_intent_report():
    result = result_from_report("a", 3, REPORT, 120.0)
    assert (result.accuracy, result.macro_f1, result.weighted_f1, result.out_of_scope_f1) == \
        (0.91, 0.905, 0.912, 0.924)


def test_table_marks_the_best_macro_f1():
    worse = result_from_report("b", 3, {**REPORT, "macro avg": {"f1-score": 0.8}}, 60.0)
    table = as_markdown([result_from_report("a", 3, REPORT, 120.0), worse])
    assert "| **a** | 3 | 0.910 | 0.905 | 0.912 | 0.924 | 2.0 min |" in table
    assert "| b | 3 |" in table
