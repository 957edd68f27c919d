"""A follow-up that carries a red flag on: "it's still happening", "yes and now it's worse".

Such a message names no symptom, so the text-only detector cannot see it. Right after a
red flag, though, it is about that red flag, and gets the same escalation again. Only
messages that say the symptom goes on, is back or is worse count ("ok thanks", "it's
stopped now", and new questions such as "when do results come back?" or "is it still
safe to fly?" do not).
"""
from __future__ import annotations

import re

_SUBJECT = r"(?:it|they|she|this|that|the pain|the bleeding|the cramps?|the cramping|the leak\w*)"
_NOT_STOPPED = (r"(?:hasn't|has not|haven't|have not|isn't|is not|won't|will not|doesn't|does not|didn't|"
                r"did not|not) (?:stopped|stopping|stop|eased|easing|settled|settling|gone away|gone|"
                r"improved|improving|got better|getting better|slowed|slowing)")
CONTINUES = re.compile(
    rf"\b{_SUBJECT}(?:'s|'re|s| is| are| was| has| have| keeps?| just)? (?:still|now |even |really |much |a lot )?"
    rf"(?:still\b(?! (?:safe|ok|okay|fine|possible|worth|normal|allowed|going ahead|on for|booked|needed))|worse|heavier|stronger|back\b|come back|came back|coming back|keeps? (?:going|coming|happening)|"
    rf"getting (?:worse|heavier|stronger|more)|happening again|started again|starting again)"
    rf"|\b{_SUBJECT}(?:'s|s| has| have)? {_NOT_STOPPED}\b"
    rf"|^(?:yes|yeah|yep|yh|no|nope|nah)\b[^?]*\b(?:worse|heavier|stronger|still|not stopped|hasn't stopped)\b"
    rf"|\bstill (?:happening|going on|going|there|the same|bad|coming|bleeding|leaking|hurting|hurts|high|hot|"
    rf"not (?:stopped|better|gone))\b"
    rf"|\b(?:getting|got|gotten|gone) (?:worse|heavier|stronger)\b"
    rf"|^(?:worse|still|heavier|stronger|same|no better|not better|no change)\b"
    rf"|\b(?:i|she) still (?:feel|feels|think|thinks|want|wants) (?:like that|that way|the same|it)\b")

# messages that close the subject instead ("it's stopped now", "I feel fine now")
SETTLED = re.compile(
    r"\b(?:stopped now|has stopped|have stopped|it's stopped|its stopped|gone now|all gone|"
    r"(?:feel|feeling|i'm|i am) (?:fine|better|ok|okay) now|no longer)\b")


def continues_red_flag(text: str) -> bool:
    """Does this follow-up say the previous red flag goes on (or is back, or worse)?"""
    lowered = re.sub(r"\s+", " ", (text or "").lower().replace("\u2019", "'")).strip()
    return bool(CONTINUES.search(lowered)) and not SETTLED.search(lowered)
