"""End-to-end tests: the rmtui command run in subprocesses and in a real terminal (tmux)."""
