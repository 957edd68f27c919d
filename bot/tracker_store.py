"""Rasa's SQL tracker store, which also spools every escalation as the turn is saved.

Rasa saves the tracker once it has answered a message, through any channel. At that
point the escalation (read from the message's parse data, where the safety layer put
its decision, or from the bot's replies when they told the patient to escalate) is
written to the local spool, before the database is touched, so it
survives a stopped action server and an unreachable database. Rasa wraps this store in
its FailSafeTrackerStore, so with the database down the conversation carries on in
memory and the patient still gets the static escalation reply. The relay thread
started here moves spooled escalations into the database and notifies the clinic.

Personal details (names, phone numbers, e-mail addresses, dates of birth, postcodes) are
redacted from user messages as they are written (bot.privacy.stored_events): the turn
has been answered from the original, the escalation is spooled from it (its stored
message redacted too), and only what reaches the database (or an event broker) changes.
Bot messages are stored as sent. docs/privacy.md.

endpoints.yml: tracker_store: type: bot.tracker_store.EscalationRecordingTrackerStore
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Iterator, List, Optional, Text

from sqlalchemy.exc import DBAPIError, OperationalError

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation_relay import EscalationRelay, store_report
from bot.escalation_spool import EscalationSpool
from bot.escalations import report_for_message
from bot.privacy.redaction import warm_up as warm_up_redaction
from bot.privacy.stored_events import stored_form

logger = logging.getLogger(__name__)


# A database restart (or a fail-over) takes a second or two, and leaves the pool's
# connections dead: retrying for a few seconds rides through it, so that no message is
# lost. A database down for longer is not waited for again at every message: once it has
# failed for RETRY_WINDOW seconds in a row, each call tries once, and Rasa's
# FailSafeTrackerStore carries the conversation on in memory.
RETRY_WINDOW = 5.0


class EscalationRecordingTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, spool_dir: Optional[Text] = None,
                 relay: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spool = EscalationSpool(spool_dir)
        self.relay = EscalationRelay(self.spool).start() if relay else None
        self._spooled: "OrderedDict[str, None]" = OrderedDict()
        self._failing_since: Optional[float] = None
        warm_up_redaction()

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.spool_escalation(tracker)
        await self._with_retries(lambda: SQLTrackerStore.save(self, tracker))

    async def _retrieve(self, sender_id: Text,
                        fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        return await self._with_retries(lambda: SQLTrackerStore._retrieve(
            self, sender_id, fetch_events_from_all_sessions))

    async def _with_retries(self, call: Callable[[], Awaitable[Any]]) -> Any:
        """`call`, tried again while the database has failed for less than RETRY_WINDOW
        seconds (dead pooled connections after a restart are replaced on the way)."""
        delay = 0.1
        while True:
            try:
                result = await call()
            except (OperationalError, DBAPIError) as error:
                now = time.monotonic()
                if self._failing_since is None:
                    self._failing_since = now
                if now - self._failing_since >= RETRY_WINDOW:
                    raise
                logger.warning("Tracker store: database error (%s); trying again",
                               str(error).splitlines()[0][:200])
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            self._failing_since = None
            return result

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events SQLTrackerStore.save writes (those not stored yet), user messages in
        their redacted form; the tracker's own events are not changed."""
        return (stored_form(event) for event in super()._additional_events(session, tracker))

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event],
                                 sender_id: Text) -> None:
        """An event broker (none is configured) gets the redacted form too."""
        await super()._stream_new_events(event_broker, [stored_form(e) for e in new_events],
                                         sender_id)

    @staticmethod
    def _replies_since_latest_message(tracker: DialogueStateTracker) -> List[dict]:
        """The reply-contract payloads the bot sent after the latest user message."""
        payloads = []
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, BotUttered) and isinstance((event.data or {}).get("custom"), dict):
                payloads.append(event.data["custom"])
        return payloads

    def spool_escalation(self, tracker: DialogueStateTracker) -> Optional[dict]:
        """Spool the latest user message's escalation, once; never raises."""
        event = tracker.latest_message
        if event is None or not event.text:
            return None
        report = report_for_message(tracker.sender_id, event.message_id, event.text,
                                    event.parse_data, event.input_channel, event.timestamp,
                                    replies=self._replies_since_latest_message(tracker))
        if report is None or report["source_key"] in self._spooled:
            return None
        try:
            self.spool.put(report)
        except OSError:
            logger.exception("Could not write the escalation spool; storing directly")
            try:
                store_report(report, self.relay.notifiers.channels if self.relay else [])
            except Exception:
                logger.critical("ESCALATION NOT RECORDED for conversation %s: %s",
                                tracker.sender_id, report, exc_info=True)
                return None
        self._spooled[report["source_key"]] = None
        while len(self._spooled) > 10000:
            self._spooled.popitem(last=False)
        if self.relay is not None:
            self.relay.kick()
        return report
