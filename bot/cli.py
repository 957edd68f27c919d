"""Command line: `python -m bot.cli COMMAND`. Run `python -m bot.cli --help`."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import DOMAIN_PATH, PROJECT_ROOT, database_url


def cmd_load_answers(args) -> int:
    from bot.knowledge_base import load_answers

    report = load_answers()
    print(f"answers: {len(report.added)} added, {len(report.updated)} new versions, "
          f"{len(report.unchanged)} unchanged, {len(report.retired)} retired "
          f"({database_url()})")
    for key in report.updated:
        print(f"  new version: {key}")
    return 0


def cmd_check_answers(args) -> int:
    from bot.answer_checks import check_answers
    from bot.answers_yaml import read_answer_specs
    from bot.clinic import load_clinic_config

    specs = read_answer_specs()
    problems = check_answers(specs, load_clinic_config())
    for problem in problems:
        print(f"  x {problem}")
    print(f"answers: {len(specs)} checked, {len(problems)} problems")
    return 1 if problems else 0


def cmd_show_answer(args) -> int:
    """The exact stored version a patient saw, by the answer_id of the reply."""
    from sqlalchemy import select

    from bot.db import Answer, session_scope

    key, _, version = args.answer_id.partition("@v")
    if not version.isdigit():
        print("error: give an answer id as key@vN, e.g. pain@v1", file=sys.stderr)
        return 2
    with session_scope() as session:
        answer = session.execute(select(Answer).where(
            Answer.key == key, Answer.version == int(version))).scalar_one_or_none()
        if answer is None:
            print(f"error: no stored answer {args.answer_id}", file=sys.stderr)
            return 2
        print(f"{answer.answer_id} (topic {answer.topic}, "
              f"{'current' if answer.is_current else 'superseded'}, "
              f"jurisdiction {answer.jurisdiction or 'all'}, loaded {answer.loaded_at:%Y-%m-%d %H:%M})")
        print(f"reviewed by {answer.reviewed_by} on {answer.reviewed_on}, next review {answer.review_due}")
        print(answer.text)
        for source in answer.sources:
            print(f"  - {source['title']}: {source['url']}")
    return 0


def cmd_sync_domain(args) -> int:
    from bot.clinic import load_clinic_config
    from bot.domain_sync import sync_domain

    changed = sync_domain(DOMAIN_PATH, load_clinic_config(), check_only=args.check)
    if args.check and changed:
        print("domain.yml is out of date with data/answers and clinic.yml: run `make setup`.")
        return 1
    print("domain.yml " + ("updated" if changed else "up to date"))
    return 0


def cmd_migrate(args) -> int:
    """Apply the schema migrations (bot/migrations) to the database; say where it stands."""
    from bot.db import get_engine
    from bot.schema import current_revision, head_revision, migrate

    engine = get_engine()
    before = current_revision(engine)
    migrate(engine)
    after = current_revision(engine)
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        print(f"schema: at revision {after} (newest) in {where}")
    else:
        print(f"schema: {before or 'empty'} -> {after} in {where}")
    return 0 if after == head_revision() else 1


def cmd_setup(args) -> int:
    from bot.db import init_db

    init_db()
    cmd_load_answers(args)
    args.check = False
    return cmd_sync_domain(args)


def cmd_detect(args) -> int:
    from bot.safety import get_detector

    detection = get_detector().detect(" ".join(args.text))
    print(json.dumps(detection.as_dict(), indent=2))
    return 0


def cmd_bench_detector(args) -> int:
    from bot.safety.benchmark import (benchmark, build_detector, format_report, long_messages,
                                      table_messages)

    detector, seconds = build_detector()
    print(f"red-flag detector: built in {seconds:.1f} s")
    messages = table_messages(args.cases)
    words = sum(len(m.split()) for m in messages) / len(messages)
    print(format_report(benchmark(detector, messages, args.repeat),
                        f"safety table ({words:.0f} words on average)"))
    long = long_messages(messages)
    words = sum(len(m.split()) for m in long) / len(long)
    print(format_report(benchmark(detector, long, args.repeat),
                        f"long messages ({words:.0f} words on average)"))
    return 0


def cmd_crossval_compare(args) -> int:
    from bot.pipeline_comparison import main as comparison_main

    return comparison_main(args)


def cmd_eval(args) -> int:
    from bot.evaluation import main as evaluation_main

    return evaluation_main(args)


def cmd_escalations(args) -> int:
    from bot import escalations
    from bot.db import init_db

    init_db()
    if args.action == "list":
        rows = escalations.recent_escalations(limit=args.limit)
        for row in rows:
            print(f"#{row.id:<5} {row.reported_at:%Y-%m-%d %H:%M} {row.kind:<9} "
                  f"{row.severity or '-':<10} {row.status:<12} {row.conversation_id}  "
                  f"{', '.join(row.symptoms or [])}")
        if not rows:
            print("no escalations")
        return 0
    if args.action in ("acknowledge", "resolve"):
        status = "acknowledged" if args.action == "acknowledge" else "resolved"
        row = escalations.set_status(args.id, status, args.by)
        print(f"escalation #{row.id} ({row.kind}) {status} by {args.by}")
        return 0
    # relay
    from bot.escalation_relay import EscalationRelay

    report = EscalationRelay().run_once()
    print(f"stored {report.stored}, delivered {report.delivered}, retrying {report.retrying}, "
          f"failed {report.failed}, still in spool {report.waiting_in_spool}")
    return 0


def cmd_create_admin(args) -> int:
    """The first admin of the staff app (or another account, with --role)."""
    import getpass
    import os

    from bot.db import init_db
    from bot.staff.accounts import AccountError, create_user
    from bot.staff.passwords import WeakPassword

    init_db()
    password = os.environ.get("STAFF_NEW_PASSWORD")
    if not password:
        password = getpass.getpass(f"Password for {args.username} (12 characters or more): ")
        if password != getpass.getpass("Again: "):
            print("The two passwords differ.", file=sys.stderr)
            return 2
    try:
        user = create_user(args.username, password, args.role)
    except (AccountError, WeakPassword) as error:
        print(f"Not created: {error}", file=sys.stderr)
        return 2
    print(f"Created {user.role} '{user.username}'. Sign in to the staff app with it.")
    return 0


def cmd_export_training(args) -> int:
    from bot.db import init_db
    from bot.staff.labels import export_training

    init_db()
    written = export_training(Path(args.out), include_exported=args.all)
    print(f"{written['examples']} corrected examples (Rasa NLU YAML, ready to merge into "
          f"data/nlu/): {written['nlu']}")
    print(f"{written['missed_red_flags']} missed red flags (cases for "
          f"tests/data/red_flag_cases.yml, to review and merge): {written['red_flag_cases']}")
    return 0


def cmd_purge(args) -> int:
    """Delete conversations older than the retention setting (or --days)."""
    from bot.db import init_db
    from bot.privacy.retention import purge_older_than, retention_days

    days = args.days if args.days is not None else retention_days()
    if days is None:
        print("Retention is off (retention_days: 0 or off): conversations are kept.")
        return 0
    init_db()
    report = purge_older_than(days)
    print(f"Conversations with no activity for {days} days: {report.describe()}")
    return 0


def cmd_erase(args) -> int:
    """Delete everything of one conversation (a patient's request)."""
    from bot.db import init_db
    from bot.privacy.retention import erase_conversation

    init_db()
    report = erase_conversation(args.sender_id)
    if not any(report.rows.values()) and not report.spool_files:
        print(f"Nothing stored for conversation {args.sender_id} (check the id).",
              file=sys.stderr)
        return 1
    print(f"Conversation {args.sender_id}: {report.describe()}")
    return 0


def cmd_serve(args) -> int:
    from bot.servers import serve

    return serve(port=args.port, action_port=args.action_port, model=args.model,
                 demo_port=args.demo_port, staff_port=args.staff_port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup", help="create tables, load answers, update domain.yml") \
        .set_defaults(func=cmd_setup)
    commands.add_parser("migrate", help="apply the database schema migrations (Alembic)") \
        .set_defaults(func=cmd_migrate)
    commands.add_parser("load-answers", help="load data/answers/*.yml (new versions only)") \
        .set_defaults(func=cmd_load_answers)
    sync = commands.add_parser("sync-domain", help="write the static replies into domain.yml")
    sync.add_argument("--check", action="store_true", help="only report whether it is up to date")
    sync.set_defaults(func=cmd_sync_domain)
    detect = commands.add_parser("detect", help="run the red-flag detector on a message")
    detect.add_argument("text", nargs="+")
    detect.set_defaults(func=cmd_detect)
    bench = commands.add_parser("bench-detector", help="time the red-flag detector per message")
    bench.add_argument("--cases", type=Path, default=PROJECT_ROOT / "tests" / "data" / "red_flag_cases.yml")
    bench.add_argument("--repeat", type=int, default=5)
    bench.set_defaults(func=cmd_bench_detector)
    evaluation = commands.add_parser("eval", help="score conversations through the REST channel")
    evaluation.add_argument("cases", nargs="+", help="JSONL files of conversations")
    evaluation.add_argument("--url", help="a running server's REST webhook; default: start one")
    evaluation.add_argument("--model", default="models/assistant.tar.gz")
    evaluation.add_argument("--json", help="also write the figures to this file")
    evaluation.add_argument("--show-errors", action="store_true")
    evaluation.add_argument("--report", help="write the report (Markdown and plots) to a new "
                            "folder under this one, e.g. reports")
    evaluation.set_defaults(func=cmd_eval)
    commands.add_parser(
        "check-answers", help="the sign-off checks on data/answers (sources, review dates, "
        "reading grade, wording, consistent miscarriage figures)").set_defaults(func=cmd_check_answers)
    show = commands.add_parser("show-answer", help="the stored text of an answer version, "
                               "as a reply's answer_id names it (key@vN)")
    show.add_argument("answer_id")
    show.set_defaults(func=cmd_show_answer)
    compare = commands.add_parser(
        "crossval-compare", help="cross-validate each candidate pipeline in pipelines/")
    compare.add_argument("--pipelines", default=str(PROJECT_ROOT / "pipelines"))
    compare.add_argument("--folds", type=int, default=5)
    compare.add_argument("--only", nargs="*", help="names of the candidates to run")
    compare.add_argument("--out", default=str(PROJECT_ROOT / "reports" / "crossval"))
    compare.set_defaults(func=cmd_crossval_compare)
    escalation = commands.add_parser(
        "escalations", help="list escalations; acknowledge or resolve one (resolving a "
        "handoff lets the bot answer that conversation again); run one relay pass")
    escalation_commands = escalation.add_subparsers(dest="action", required=True)
    listing = escalation_commands.add_parser("list", help="newest first")
    listing.add_argument("--limit", type=int, default=50)
    for name in ("acknowledge", "resolve"):
        change = escalation_commands.add_parser(name)
        change.add_argument("id", type=int)
        change.add_argument("--by", required=True, help="staff member's name")
    escalation_commands.add_parser(
        "relay", help="store spooled escalations and send due notifications, once")
    escalation.set_defaults(func=cmd_escalations)
    admin = commands.add_parser("create-admin", help="create a staff app account (the first "
                                "admin); the password is asked for, or STAFF_NEW_PASSWORD")
    admin.add_argument("username")
    admin.add_argument("--role", default="admin", choices=("admin", "reviewer"))
    admin.set_defaults(func=cmd_create_admin)
    training = commands.add_parser("export-training", help="write the staff's corrections as "
                                   "Rasa NLU YAML and the missed red flags as safety cases")
    training.add_argument("--out", default=str(PROJECT_ROOT / "var" / "exports"))
    training.add_argument("--all", action="store_true", help="also those exported before")
    training.set_defaults(func=cmd_export_training)
    purge = commands.add_parser("purge", help="delete conversations older than the retention "
                                "setting (RETENTION_DAYS or clinic.yml retention_days)")
    purge.add_argument("--days", type=int, help="instead of the setting")
    purge.set_defaults(func=cmd_purge)
    erase = commands.add_parser("erase", help="delete everything of one conversation, by its "
                                "sender id (a patient's request to be forgotten)")
    erase.add_argument("sender_id")
    erase.set_defaults(func=cmd_erase)
    serve = commands.add_parser("serve", help="run the action server and Rasa together")
    serve.add_argument("--port", type=int, default=5005)
    serve.add_argument("--action-port", type=int, default=5055)
    serve.add_argument("--model", default="models/assistant.tar.gz")
    serve.add_argument("--demo-port", type=int, default=0,
                       help="also serve the demo clinic page with the chat widget on this port")
    serve.add_argument("--staff-port", type=int, default=0,
                       help="also run the staff web app on this port")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv=None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, LookupError, OSError) as error:  # bad answer file, clinic.yml, paths
        print(f"error: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        from sqlalchemy.engine import make_url

        print(f"error: database {make_url(database_url())!r} unreachable: "
              f"{str(error).splitlines()[0]}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
