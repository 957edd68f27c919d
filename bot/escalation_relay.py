"""Moving spooled escalations into the database and notifying the clinic, with retries.

One pass (`relay_once`): every report in the spool becomes an `escalations` row (once:
its source_key is unique) plus one `escalation_deliveries` row per configured notifier,
in the same transaction, before the spool file is removed. Then every delivery that is
due is attempted; a failure is recorded and retried later with growing waits, up to
`max_attempts`, after which it is marked failed and logged as an error.

`EscalationRelay` runs passes in a background thread of the Rasa process: at once when a
report is spooled, and every few seconds while anything is waiting.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Iterable, Optional

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.db import Escalation, EscalationDelivery, init_db, session_scope, utcnow
from bot.escalation_spool import EscalationSpool
from bot.notifier import Notifiers, build_notifiers, load_notification_settings

logger = logging.getLogger(__name__)

RETRY_WAITS = (5, 15, 30, 60, 120, 300, 600, 900)  # seconds, then 900 for the rest
STALE_SENDING = dt.timedelta(minutes=5)


def retry_wait(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=RETRY_WAITS[min(attempts, len(RETRY_WAITS)) - 1])


@dataclass
class RelayReport:
    stored: int = 0
    waiting_in_spool: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def _parse_time(value: Optional[str]) -> dt.datetime:
    if not value:
        return utcnow()
    try:
        parsed = dt.datetime.fromisoformat(value.rstrip("Z"))
    except ValueError:
        return utcnow()
    return parsed.replace(tzinfo=None)


def store_report(report: dict, channels: Iterable[str], url: Optional[str] = None) -> Optional[int]:
    """Insert one spooled report and its deliveries; None when it was already stored."""
    try:
        with session_scope(url) as session:
            row = Escalation(
                source_key=report["source_key"], conversation_id=report["conversation_id"],
                kind=report["kind"], message=report.get("message") or "",
                symptoms=list(report.get("symptoms") or []), severity=report.get("severity"),
                input_channel=report.get("input_channel"),
                reported_at=_parse_time(report.get("reported_at")))
            session.add(row)
            session.flush()
            for channel in channels:
                session.add(EscalationDelivery(escalation_id=row.id, channel=channel))
            logger.info("Escalation %s stored: %s %s %s", row.id, row.kind, row.severity,
                        row.symptoms)
            return row.id
    except IntegrityError:
        return None  # the same message was spooled twice; the first copy is stored


def drain_spool(spool: EscalationSpool, channels: Iterable[str],
                url: Optional[str] = None) -> int:
    """Store every spooled report; stops (leaving the rest) when the database is down."""
    channels = list(channels)
    stored = 0
    for claimed, report in spool.claim():
        try:
            if store_report(report, channels, url) is not None:
                stored += 1
        except SQLAlchemyError:
            spool.release(claimed)
            raise
        except (KeyError, TypeError, ValueError):
            logger.exception("Malformed escalation report kept aside: %s", claimed)
            spool.set_aside(claimed)
            continue
        spool.done(claimed)
    return stored


def _claim_due(url: Optional[str], now: dt.datetime, limit: int = 50) -> list:
    claimed = []
    with session_scope(url) as session:
        session.execute(
            update(EscalationDelivery)
            .where(EscalationDelivery.status == "sending",
                   EscalationDelivery.claimed_at < now - STALE_SENDING)
            .values(status="pending"))
        due = session.execute(
            select(EscalationDelivery.id)
            .where(EscalationDelivery.status == "pending",
                   EscalationDelivery.next_attempt_at <= now)
            .order_by(EscalationDelivery.id).limit(limit)).scalars().all()
        for delivery_id in due:
            result = session.execute(
                update(EscalationDelivery)
                .where(EscalationDelivery.id == delivery_id,
                       EscalationDelivery.status == "pending")
                .values(status="sending", claimed_at=now))
            if result.rowcount == 1:
                claimed.append(delivery_id)
    return claimed


def deliver_due(notifiers: Notifiers, url: Optional[str] = None,
                report: Optional[RelayReport] = None) -> RelayReport:
    """Attempt every delivery that is due, recording each outcome."""
    report = report or RelayReport()
    now = utcnow()
    for delivery_id in _claim_due(url, now):
        with session_scope(url) as session:
            delivery = session.get(EscalationDelivery, delivery_id)
            escalation = session.get(Escalation, delivery.escalation_id).as_dict()
            channel = delivery.channel
        notifier = notifiers.by_channel.get(channel)
        error = None
        if notifier is None:
            error = f"notifier '{channel}' is no longer configured"
        else:
            try:
                notifier.send(escalation)
            except Exception as exc:  # any failure of the clinic's endpoint is retried
                error = f"{type(exc).__name__}: {exc}"
        with session_scope(url) as session:
            delivery = session.get(EscalationDelivery, delivery_id)
            delivery.attempts += 1
            delivery.claimed_at = None
            if error is None:
                delivery.status = "delivered"
                delivery.delivered_at = utcnow()
                delivery.last_error = None
                report.delivered += 1
            elif delivery.attempts >= notifiers.max_attempts:
                delivery.status = "failed"
                delivery.last_error = error
                report.failed += 1
                logger.error("Escalation %s could not be delivered by %s after %s attempts: %s",
                             escalation["id"], channel, delivery.attempts, error)
            else:
                delivery.status = "pending"
                delivery.last_error = error
                delivery.next_attempt_at = utcnow() + retry_wait(delivery.attempts)
                report.retrying += 1
                logger.warning("Escalation %s: %s delivery attempt %s failed (%s); retrying",
                               escalation["id"], channel, delivery.attempts, error)
    return report


def relay_once(spool: EscalationSpool, notifiers: Notifiers,
               url: Optional[str] = None) -> RelayReport:
    """Store what waits in the spool, then send what is due; a database outage is logged
    and left for the next pass."""
    report = RelayReport()
    try:
        report.stored = drain_spool(spool, notifiers.channels, url)
        deliver_due(notifiers, url, report)
    except SQLAlchemyError as error:
        logger.warning("Database unreachable; escalations wait in the spool (%s)",
                       str(error).splitlines()[0])
    report.waiting_in_spool = spool.count()
    return report


class EscalationRelay:
    """A daemon thread running relay passes: on `kick()` and every `interval` seconds."""

    def __init__(self, spool: Optional[EscalationSpool] = None,
                 notifiers: Optional[Notifiers] = None, url: Optional[str] = None,
                 interval: float = 5.0):
        self.spool = spool or EscalationSpool()
        self.notifiers = notifiers if notifiers is not None else build_notifiers(
            load_notification_settings())
        self.url = url
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._tables_ready = False

    def start(self) -> "EscalationRelay":
        if not self.notifiers.channels:
            logger.warning("No escalation notifier configured (clinic.yml notifications): "
                           "escalations are recorded in the database only.")
        self._thread = threading.Thread(target=self._run, name="escalation-relay", daemon=True)
        self._thread.start()
        return self

    def kick(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> RelayReport:
        if not self._tables_ready:
            try:
                init_db(self.url)
            except SQLAlchemyError as error:
                logger.warning("Database unreachable; escalations wait in the spool (%s)",
                               str(error).splitlines()[0])
                return RelayReport(waiting_in_spool=self.spool.count())
            self._tables_ready = True
        return relay_once(self.spool, self.notifiers, self.url)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_once()
            except Exception:  # never let the thread die: escalations depend on it
                logger.exception("Escalation relay pass failed; will retry")
            self._wake.wait(self.interval)
