"""The staff web app (Flask, server-rendered): sign-in, conversations and transcripts,
the escalation queue, corrections, the dashboard, CSV exports, and for admins the staff
accounts and the audit log.

Security: per-user accounts with Argon2id passwords (bot.staff.passwords), roles
`reviewer` and `admin`, sessions that expire after STAFF_SESSION_MINUTES without use,
CSRF tokens on every form (Flask-WTF), HttpOnly SameSite cookies, no caching of pages, a
strict Content-Security-Policy, and every view of a transcript, export and change written
to the audit log. Jinja escapes every message text.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from functools import wraps
from typing import Callable, Optional

from flask import (Flask, Response, abort, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_login import (LoginManager, UserMixin, current_user, login_required, login_user,
                         logout_user)
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError

from bot.db import Escalation, get_engine, init_db, session_scope
from bot.escalations import set_status
from bot.settings import PROJECT_ROOT
from bot.staff import accounts, audit, dashboard, exports, labels, summaries
from bot.staff.events import transcript
from bot.staff.throttle import SignInThrottle
from bot.topics import TOPICS

SESSION_MINUTES_DEFAULT = 30
EXPORT_DIR = PROJECT_ROOT / "var" / "exports"
SEVERITY_RANK = {"emergency": 0, "urgent": 1}


class SignedIn(UserMixin):
    """The signed-in staff member as Flask-Login keeps them."""

    def __init__(self, user) -> None:
        self.id = user.id
        self.username = user.username
        self.role = user.role

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def secret_key() -> str:
    """STAFF_SECRET_KEY, or one made once and kept in var/ (owner-only), so sessions
    survive a restart without a secret in the repository."""
    configured = os.environ.get("STAFF_SECRET_KEY", "").strip()
    if configured:
        return configured
    path = PROJECT_ROOT / "var" / "staff-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def admin_required(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def _date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _local_path(target: str) -> bool:
    """A path on this site ("/escalations"), not another site ("//evil.example", "/\\evil")."""
    return target.startswith("/") and not target.startswith("//") and "\\" not in target


def _age(since: Optional[dt.datetime]) -> str:
    if since is None:
        return ""
    minutes = int((dt.datetime.utcnow() - since).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"


def create_app(db_url: Optional[str] = None, testing: bool = False) -> Flask:
    app = Flask(__name__)
    minutes = int(os.environ.get("STAFF_SESSION_MINUTES", SESSION_MINUTES_DEFAULT))
    app.config.update(
        SECRET_KEY=secret_key(),
        TESTING=testing,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("STAFF_COOKIE_SECURE", "") == "1",
        SESSION_COOKIE_NAME="staff_session",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    init_db(db_url)
    CSRFProtect(app)
    login = LoginManager(app)
    login.login_view = "sign_in"
    login.login_message = "Please sign in."
    url = db_url
    throttle = SignInThrottle()

    @login.user_loader
    def load_user(user_id: str):
        user = accounts.get_user(int(user_id), url)
        return SignedIn(user) if user is not None else None

    @app.before_request
    def timing() -> None:
        g.started = time.perf_counter()
        session.permanent = True

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        if hasattr(g, "started"):
            response.headers["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - g.started):.1f}"
        return response

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        return render_template("error.html", title="Form expired",
                               message="The form was out of date. Go back, reload the page and "
                                       "try again."), 400

    @app.errorhandler(403)
    def forbidden(_error):
        return render_template("error.html", title="Not allowed",
                               message="Your account cannot open this page."), 403

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", title="Not found",
                               message="There is no such page."), 404

    @app.context_processor
    def globals_for_templates() -> dict:
        return {"topics": TOPICS, "age": _age}

    # --- health, for Kubernetes' probes and load balancers (docs/deploy.md) -------------
    @app.route("/healthz")
    def healthz():
        """No sign-in, no data: 200 "ok" while the database answers SELECT 1, else 503."""
        try:
            with get_engine(url).connect() as connection:
                connection.execute(sql_text("SELECT 1"))
        except SQLAlchemyError:
            return Response("database unreachable", status=503, mimetype="text/plain")
        return Response("ok", mimetype="text/plain")

    # --- signing in ------------------------------------------------------------------
    @app.route("/login", methods=["GET", "POST"])
    def sign_in():
        if request.method == "POST":
            username = request.form.get("username", "")[:100]
            address = request.remote_addr or "-"
            wait = throttle.wait_seconds(username, address)
            if wait is not None:
                flash(f"Too many failed sign-ins. Try again in {-(-wait // 60)} minutes.", "error")
                return render_template("login.html"), 429
            user = accounts.authenticate(username, request.form.get("password", ""), url)
            if user is None:
                throttle.failed(username, address)
                flash("Wrong user name or password.", "error")
                return render_template("login.html"), 401
            throttle.succeeded(username)
            session.clear()  # a fresh session (and CSRF token) for the signed-in user
            login_user(SignedIn(user))
            audit.record(user.username, "sign_in", url=url)
            target = request.args.get("next", "")
            return redirect(target if _local_path(target) else url_for("conversations"))
        return render_template("login.html")

    @app.route("/logout", methods=["POST"])
    @login_required
    def sign_out():
        audit.record(current_user.username, "sign_out", url=url)
        logout_user()
        session.clear()
        flash("You have signed out.", "info")
        return redirect(url_for("sign_in"))

    @app.route("/")
    @login_required
    def home():
        return redirect(url_for("conversations"))

    # --- conversations ---------------------------------------------------------------
    @app.route("/conversations")
    @login_required
    def conversations():
        summaries.refresh(url)
        filters = summaries.Filters(
            date_from=_date(request.args.get("from")), date_to=_date(request.args.get("to")),
            topic=request.args.get("topic") if request.args.get("topic") in TOPICS else None,
            escalated=bool(request.args.get("escalated")),
            fallback=bool(request.args.get("fallback")),
            low_confidence=bool(request.args.get("low_confidence")),
            search=request.args.get("q", "")[:200])
        page = max(1, request.args.get("page", 1, type=int))
        rows, total = summaries.find(filters, page=page, url=url)
        args = {k: v for k, v in request.args.items() if k != "page"}
        return render_template("conversations.html", rows=rows, total=total, page=page,
                               pages=max(1, -(-total // 50)), filters=filters, args=args,
                               low=summaries.LOW_CONFIDENCE)

    @app.route("/conversations/<path:sender_id>")
    @login_required
    def conversation(sender_id: str):
        turns = transcript(sender_id, url)
        if not turns:
            abort(404)
        audit.record(current_user.username, "view_transcript", target=sender_id, url=url)
        with session_scope(url) as db:
            escalations = db.query(Escalation).filter(
                Escalation.conversation_id == sender_id).order_by(Escalation.id).all()
        return render_template("transcript.html", sender_id=sender_id, turns=turns,
                               escalations=escalations, labels=labels.labels_for(sender_id, url),
                               teachable=labels.TEACHABLE_TOPICS)

    @app.route("/conversations/<path:sender_id>/label", methods=["POST"])
    @login_required
    def label(sender_id: str):
        event_id = request.form.get("event_id", type=int)
        turn = next((t for t in transcript(sender_id, url)
                     if t.kind == "user" and t.event_id == event_id), None)
        if turn is None:
            abort(404)
        missed = request.form.get("correction") == "missed_red_flag"
        try:
            labels.save_label(sender_id, event_id, turn.text, current_user.username,
                              correct_topic=None if missed else request.form.get("correction"),
                              missed_red_flag=missed, severity=request.form.get("severity"),
                              predicted_topic=request.form.get("predicted_topic"), url=url)
        except labels.LabelError as error:
            flash(str(error), "error")
        else:
            audit.record(current_user.username, "label_message", target=sender_id,
                         detail=f"event {event_id}: {request.form.get('correction')}", url=url)
            flash("Correction saved.", "info")
        return redirect(url_for("conversation", sender_id=sender_id) + f"#m{event_id}")

    @app.route("/conversations/<path:sender_id>/erase", methods=["POST"])
    @admin_required
    def erase(sender_id: str):
        """A patient's request to be forgotten: everything of the conversation goes."""
        from bot.privacy.retention import erase_conversation

        if request.form.get("confirm", "").strip() != sender_id:
            flash("Type the conversation id to confirm the erasure.", "error")
            return redirect(url_for("conversation", sender_id=sender_id))
        report = erase_conversation(sender_id, url)
        audit.record(current_user.username, "erase_conversation", target=sender_id,
                     detail=report.describe(), url=url)
        flash(f"Erased conversation {sender_id}: {report.describe()}", "info")
        return redirect(url_for("conversations"))

    # --- escalations -----------------------------------------------------------------
    @app.route("/escalations")
    @login_required
    def escalations():
        show = request.args.get("show", "open")
        with session_scope(url) as db:
            query = db.query(Escalation)
            if show == "open":
                query = query.filter(Escalation.status.in_(("open", "acknowledged")))
            rows = query.order_by(Escalation.created_at.desc()).limit(500).all()
        # newest emergencies first, then urgent, then requests for a person; newest first
        rows.sort(key=lambda e: (SEVERITY_RANK.get(e.severity, 2),
                                 -(e.created_at or dt.datetime.min).timestamp()))
        return render_template("escalations.html", rows=rows, show=show)

    @app.route("/escalations/<int:escalation_id>", methods=["POST"])
    @login_required
    def change_escalation(escalation_id: int):
        status = request.form.get("status")
        try:
            set_status(escalation_id, status, current_user.username, url=url,
                       note=request.form.get("note", "")[:2000])
        except (ValueError, LookupError) as error:
            flash(str(error), "error")
        else:
            audit.record(current_user.username, f"escalation_{status}",
                         target=str(escalation_id), url=url)
            flash(f"Escalation #{escalation_id} {status}.", "info")
        return redirect(url_for("escalations"))

    # --- dashboard -------------------------------------------------------------------
    @app.route("/dashboard")
    @login_required
    def dashboard_page():
        summaries.refresh(url)
        days = min(max(request.args.get("days", 30, type=int), 7), 365)
        return render_template("dashboard.html", days=days,
                               data=dashboard.figures(days, url), plots=dashboard.PLOTS)

    @app.route("/dashboard/<name>.png")
    @login_required
    def dashboard_plot(name: str):
        if name not in dashboard.PLOTS:
            abort(404)
        days = min(max(request.args.get("days", 30, type=int), 7), 365)
        png = dashboard.plot_png(name, dashboard.figures(days, url))
        return Response(png, mimetype="image/png")

    # --- exports (admins) ------------------------------------------------------------
    @app.route("/export")
    @admin_required
    def export_page():
        return render_template("export.html", today=dt.date.today())

    @app.route("/export/<kind>.csv")
    @admin_required
    def export_csv(kind: str):
        writers = {"conversations": exports.conversations_csv,
                   "escalations": exports.escalations_csv}
        if kind not in writers:
            abort(404)
        date_from, date_to = _date(request.args.get("from")), _date(request.args.get("to"))
        if kind == "conversations":
            summaries.refresh(url)
        body = writers[kind](date_from, date_to, url)
        audit.record(current_user.username, f"export_{kind}",
                     detail=f"{date_from or 'start'} to {date_to or 'today'}", url=url)
        name = f"{kind}-{date_from or 'start'}-to-{date_to or dt.date.today()}.csv"
        return Response(body, mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.route("/export/training", methods=["POST"])
    @admin_required
    def export_training():
        written = labels.export_training(EXPORT_DIR, url=url)
        audit.record(current_user.username, "export_training",
                     detail=f"{written['examples']} examples, "
                            f"{written['missed_red_flags']} missed red flags", url=url)
        flash(f"Wrote {written['examples']} corrected examples to {written['nlu']} and "
              f"{written['missed_red_flags']} missed red flags to {written['red_flag_cases']}.",
              "info")
        return redirect(url_for("export_page"))

    # --- admin: accounts and the audit log -------------------------------------------
    @app.route("/admin/users", methods=["GET", "POST"])
    @admin_required
    def users():
        if request.method == "POST":
            try:
                user = accounts.create_user(request.form.get("username", ""),
                                            request.form.get("password", ""),
                                            request.form.get("role", "reviewer"), url)
            except (accounts.AccountError, ValueError) as error:
                flash(str(error), "error")
            else:
                audit.record(current_user.username, "create_user", target=user.username,
                             detail=user.role, url=url)
                flash(f"Created {user.role} {user.username}.", "info")
            return redirect(url_for("users"))
        return render_template("users.html", users=accounts.list_users(url),
                               roles=accounts.ROLES)

    @app.route("/admin/users/<int:user_id>/active", methods=["POST"])
    @admin_required
    def user_active(user_id: int):
        active = request.form.get("active") == "1"
        try:
            user = accounts.set_active(user_id, active, url)
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            audit.record(current_user.username, "enable_user" if active else "disable_user",
                         target=user.username, url=url)
        return redirect(url_for("users"))

    @app.route("/admin/audit")
    @admin_required
    def audit_log():
        return render_template("audit.html", rows=audit.entries(
            username=request.args.get("user") or None,
            action=request.args.get("action") or None, url=url))

    return app
