"""The dashboard's figures and plots: messages per day, top topics, fallback rate per day,
escalations per day by severity (PNG, drawn with matplotlib's Agg backend)."""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from typing import Dict, List, Optional

from sqlalchemy import select

from bot.db import ConversationSummary, Escalation, get_engine, session_scope
from bot.staff.events import events_table, turn_from_row

PLOTS = ("messages", "topics", "fallback_rate", "escalations")


def figures(days: int = 30, url: Optional[str] = None, today: Optional[dt.date] = None) -> dict:
    """Counts for the last `days` days (UTC), from the events and escalations tables."""
    today = today or dt.datetime.utcnow().date()
    first = today - dt.timedelta(days=days - 1)
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    since = dt.datetime.combine(first, dt.time.min)
    engine = get_engine(url)
    messages: Counter = Counter()
    answers: Counter = Counter()
    fallbacks: Counter = Counter()
    topics: Counter = Counter()
    table = events_table(engine)
    if table is not None:
        query = (select(table.c.id, table.c.type_name, table.c.timestamp, table.c.data)
                 .where(table.c.type_name.in_(("user", "bot")),
                        table.c.timestamp >= since.replace(tzinfo=dt.timezone.utc).timestamp()))
        with engine.connect() as connection:
            for row in connection.execute(query):
                turn = turn_from_row(*row)
                if turn is None or turn.at is None:
                    continue
                day = turn.at.date()
                if turn.kind == "user":
                    messages[day] += 1
                elif turn.topic:
                    answers[day] += 1
                    topics[turn.topic] += 1
                    fallbacks[day] += turn.topic == "fallback"
    escalations: Dict[str, Counter] = defaultdict(Counter)
    with session_scope(url) as session:
        for created_at, kind, severity in session.execute(
                select(Escalation.created_at, Escalation.kind, Escalation.severity)
                .where(Escalation.created_at >= since)):
            escalations[severity or kind][created_at.date()] += 1
        conversations = session.execute(select(ConversationSummary.sender_id)
                                        .where(ConversationSummary.last_at >= since)).all()
    return {
        "dates": dates,
        "messages": [messages[d] for d in dates],
        "fallback_rate": [fallbacks[d] / answers[d] if answers[d] else 0.0 for d in dates],
        "top_topics": topics.most_common(12),
        "escalations": {key: [counts[d] for d in dates] for key, counts in
                        sorted(escalations.items(), key=lambda kv: _severity_rank(kv[0]))},
        "totals": {"messages": sum(messages.values()), "answers": sum(answers.values()),
                   "fallbacks": sum(fallbacks.values()), "conversations": len(conversations),
                   "escalations": sum(sum(c.values()) for c in escalations.values())},
    }


def _severity_rank(key: str) -> int:
    return {"emergency": 0, "urgent": 1, "handoff": 2}.get(key, 3)


COLOURS = {"emergency": "#b10e1e", "urgent": "#f0b400", "handoff": "#005eb8"}


def plot_png(name: str, data: dict) -> bytes:
    """One of PLOTS as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if name not in PLOTS:
        raise KeyError(name)
    figure, axes = plt.subplots(figsize=(7.5, 3.2), dpi=100)
    dates: List[dt.date] = data["dates"]
    if name == "messages":
        axes.bar(dates, data["messages"], color="#005eb8")
        axes.set_title("Patient messages per day")
    elif name == "fallback_rate":
        axes.plot(dates, [100 * r for r in data["fallback_rate"]], color="#b35c00", marker="o",
                  markersize=3)
        axes.set_title("Fallback rate per day (% of answers: 'I did not understand')")
        axes.set_ylim(0, max(10.0, 100 * max(data["fallback_rate"], default=0) + 5))
    elif name == "escalations":
        bottom = [0] * len(dates)
        for key, counts in data["escalations"].items():
            axes.bar(dates, counts, bottom=bottom, label=key, color=COLOURS.get(key, "#505a5f"))
            bottom = [b + c for b, c in zip(bottom, counts)]
        axes.set_title("Escalations per day, by severity")
        if data["escalations"]:
            axes.legend(loc="upper left", fontsize=8)
    else:
        topics = data["top_topics"][::-1]
        axes.barh([t for t, _ in topics], [n for _, n in topics], color="#005eb8")
        axes.set_title("Top topics answered")
    if name != "topics":
        figure.autofmt_xdate()
    counts_axis = axes.xaxis if name == "topics" else axes.yaxis
    if name != "fallback_rate":
        counts_axis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    plt.close(figure)
    return out.getvalue()
