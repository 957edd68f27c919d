"""A blank English spaCy pipeline with the lookup lemmatizer (spacy-lookups-data), saved to
disk so Rasa's SpacyNLP can load it by path: no pretrained English model for spaCy 3.4 can
be installed here. Used by the candidate pipeline that feeds lemmas to the featurizers."""
from __future__ import annotations

from pathlib import Path

from bot.settings import PROJECT_ROOT

SPACY_MODEL_PATH = PROJECT_ROOT / "var" / "spacy-en-lookup"


def build(path: Path = SPACY_MODEL_PATH) -> Path:
    import spacy

    if (Path(path) / "meta.json").exists():
        return Path(path)
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return Path(path)
