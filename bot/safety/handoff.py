"""Requests to talk to a person ("can I talk to a nurse", "get me a human"), found by
rules so that, like red flags, they never depend on the trained model."""
from __future__ import annotations

import re

from bot.safety.normalise import normalise

PERSON = (r"(?:a |an |the |to |some |with |me |my )*(?:real |actual |live |proper )?"
          r"(?:person|human|humans|people|nurse|nurses|midwife|midwives|doctor|doc|dr|consultant|"
          r"someone|somebody|anyone|staff|member of staff|team|clinician|specialist|counsellor|receptionist|"
          r"live agent|agent|operator|member of (?:the )?(?:medical |clinical |care )?team|"
          r"(?:[a-z]+ ){1,2}(?:team|staff))")
REQUEST = re.compile(
    r"\b(?:talk|speak|chat|speaking|talking)(?: to| with)? " + PERSON + r"\b"
    r"|\b(?:get|put|connect|transfer|pass)(?: me)?(?: through)?(?: to| with)? " + PERSON + r"\b"
    r"|\b(?:nurse|midwife|doctor|someone|somebody|person|human)s? (?:to |can |could |please )?"
    r"(?:call|ring|phone|message|text|contact|get back to) me\b"
    r"|\b(?:call|ring|phone) me back\b|\bcall ?back\b"
    r"|\b(?:want|need|prefer|like)(?: to)?(?: ask)? (?:a |an |the )?(?:real |actual )?(?:human|person|nurse|midwife|doctor)\b"
    r"|^\s*(?:human|agent|operator|real person|nurse|midwife)(?: please| pls| plz)?\s*[.!?]*\s*$"
    r"|\bnot (?:a |an )?(?:bot|robot|machine)\b"
    # "is there a person i can chat with", "is there anyone i can talk to on the phone"
    r"|\bis there (?:a |an |any )?(?:real |actual |live )?(?:person|human|nurse|midwife|doctor|anyone|someone|"
    r"somebody|one)\b(?: \w+){0,3}? (?:i|we) (?:can|could) (?:talk|speak|chat|call)"
    r"|\b(?:person|human|nurse|midwife|doctor|someone|anyone|somebody)\b(?: \w+){0,2}? available\b"
    r"|^\s*(?:a |an )?(?:real |actual |live )?(?:human|person|nurse|midwife|doctor|agent)\s+(?:please|pls|plz)\b"
    r"|\b(?:call|ring|phone) (?:my|her|his) (?:\w+ )?back\b"
    r"|\b(?:doctor|nurse|midwife|someone|somebody) (?:to |can |could |please )?(?:call|ring|phone) (?:her|him|them|my \w+)\b"
    r"|\bhand me (?:over )?to\b|\b(?:put|get) (?:me|us) in touch with\b"
    r"|\bdiscuss (?:this|it|that|my \w+)? ?with (?:a |an |the |my )?(?:real |actual )?" + PERSON + r"\b"
    r"|\b(?:real|actual|live) (?:person|human)s? (?:i|we) can (?:talk|speak|chat)"
    r"|\b(?:someone|somebody|a nurse|a midwife|a doctor)(?: from| at)?(?: the| your)?(?: clinic| team| hospital)? "
    r"(?:call|ring|phone|message|text|contact) me\b"
)
NEGATED = re.compile(r"\b(?:don't|do not|no need to|not|never|without|rather not)\b[^.?!,]{0,20}$")
# "am I talking to a real person?" asks who the bot is, not for a person
IDENTITY = re.compile(r"\b(?:am i|are we|is (?:this|it|that)|who am i)\s+(?:actually |really |even |now |still )?$")


def asks_for_a_person(text: str) -> bool:
    clean = normalise(text or "")
    for match in REQUEST.finditer(clean):
        before = clean[:match.start()]
        if not NEGATED.search(before) and not IDENTITY.search(before):
            return True
    return False


# Without one of these words a message is not a request for a person, whatever the model
# guessed: "has that ever happened to someone?", "do I need someone with me?".
CONTACT_CUE = re.compile(
    r"\b(?:talk|tlk|speak|speaking|chat|call|calls|callback|call-back|ring|phone|contact|connect|put|hand|transfer|"
    r"available|discuss|reach|hold of|human|humans|real|live|agent|operator|nurse|nurses|midwife|"
    r"midwives|doctor|doctors|doc|dr|consultant|person|people|staff|team|clinician|specialist|"
    r"counsellor|receptionist|sum1|some1|somebody to (?:help|talk))\b")


def could_be_a_request(text: str) -> bool:
    """True when the words allow a request for a person (the model's guess may stand)."""
    return bool(CONTACT_CUE.search(normalise(text or "")))
