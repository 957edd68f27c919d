"""Patients' privacy in what the assistant stores: personal details redacted from user
messages before they are written (`redaction`, `stored_events`), and conversations
deleted after the retention period or on request (`retention`). docs/privacy.md."""
