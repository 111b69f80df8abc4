"""The outbox: every email the site sends, whoever sends it, is stored here first and delivered by Celery."""
