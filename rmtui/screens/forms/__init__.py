"""The forms: one modal screen per kind of record, each dismissing with what was typed."""
