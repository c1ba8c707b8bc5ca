"""The data core: the book, its rules, and everything read from or written to it; never the UI."""
