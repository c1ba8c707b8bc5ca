"""The client review report: `reading` reads it, `findings` judges it, `sections` lays it out as
a `document`, `markdown` and `html_page` write it, `files` saves it."""
