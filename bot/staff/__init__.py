"""The staff web app: conversation logs, the escalation queue, corrections that improve
the assistant, and the audit log (run with `python -m bot.staff`, started by `make run`)."""
