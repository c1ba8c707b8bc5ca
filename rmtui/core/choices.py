"""The words a person reads for the book's choices (a kind, a status, a stage), in the
language of the text; the book and its files keep the English values of models.py."""

from __future__ import annotations

from rmtui.core.translation import N_, _, pgettext, pN_

# Context of the choices' messages: `lead` the status and `lead` the stage are one word, but
# `meeting` the channel and `meeting` the kind of interaction may not be in every language.
CONTEXT = "choice"

# Every value of a choice declared in models.py, marked for the catalogue in CONTEXT.
CHOICES = (
    # client kind, status, tier
    pN_("choice", "person"),
    pN_("choice", "business"),
    pN_("choice", "corporate"),
    pN_("choice", "lead"),
    pN_("choice", "prospect"),
    pN_("choice", "client"),
    pN_("choice", "former"),
    # channel, interaction kind, direction
    pN_("choice", "phone"),
    pN_("choice", "email"),
    pN_("choice", "meeting"),
    pN_("choice", "video"),
    pN_("choice", "message"),
    pN_("choice", "call"),
    pN_("choice", "visit"),
    pN_("choice", "note"),
    pN_("choice", "in"),
    pN_("choice", "out"),
    # follow-up status and priority
    pN_("choice", "open"),
    pN_("choice", "done"),
    pN_("choice", "cancelled"),
    pN_("choice", "normal"),
    pN_("choice", "high"),
    # deal stage
    pN_("choice", "qualified"),
    pN_("choice", "proposal"),
    pN_("choice", "negotiation"),
    pN_("choice", "won"),
    pN_("choice", "lost"),
    # revenue kind, case kind, household role
    pN_("choice", "fee"),
    pN_("choice", "commission"),
    pN_("choice", "interest"),
    pN_("choice", "other"),
    pN_("choice", "request"),
    pN_("choice", "complaint"),
    pN_("choice", "head"),
    pN_("choice", "partner"),
    pN_("choice", "child"),
    pN_("choice", "dependent"),
)
# The languages a client's documents are written in, by their code.
LANGUAGE_NAMES = {"en": N_("English"), "nl": N_("Dutch")}


def choice_text(value: str | None) -> str:
    """The word shown for a choice's `value` (`call` → nl `telefoongesprek`); `—` for none."""
    if not value:
        return "—"
    if value in LANGUAGE_NAMES:
        return _(LANGUAGE_NAMES[value])
    return pgettext(CONTEXT, value)


# The usual labels of a contact point (free text; these are translated where shown).
CONTACT_LABELS = (N_("work"), N_("home"), N_("mobile"), N_("private"))
