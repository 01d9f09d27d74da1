"""Optional: people and organisations from a trained spaCy model the user has installed.

The default pipeline needs no model. With ``--spacy-model NAME`` (a package name or a
path), the model's PERSON and ORG entities are added where the rules found no name.
"""

from __future__ import annotations

from spacy.language import Language

from labourwatch.errors import ModelNameError
from labourwatch.extract.document import Document, NameMention

LABELS = {"PERSON": "person", "PER": "person", "ORG": "organisation"}




def load_model(name: str) -> Language:
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNameError(f"spaCy model {name!r} is not installed or not a model folder: {exc}") from None


class ModelNames:
    name = "model_names"

    def __init__(self, model: Language) -> None:
        self.model = model

    def __call__(self, doc: Document) -> None:
        taken = [(n.start, n.end) for n in doc.names] + [(p.start, p.end) for p in doc.places]
        for ent in self.model(doc.text).ents:
            kind = LABELS.get(ent.label_)
            if kind is None or any(a < ent.end_char and ent.start_char < b for a, b in taken):
                continue
            doc.names.append(NameMention(ent.start_char, ent.end_char, ent.text, kind))
        doc.names.sort(key=lambda n: n.start)
