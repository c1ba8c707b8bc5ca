"""Files in and out of the book: the JSON interchange format, CSV, vCard and iCalendar."""
