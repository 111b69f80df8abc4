"""What an import did, or would do on a dry run, item by item, in words for the person who ran it."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.db import models


def count_of(number: int, noun: str) -> str:
    """ "1 image", "2 images": a count in words for the report."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


class Outcome(models.TextChoices):
    CREATED = "created", "created"
    UPDATED = "updated", "updated"
    SKIPPED = "skipped", "skipped"
    FAILED = "failed", "failed"


DRY_RUN_WORDS = {
    Outcome.CREATED: "would be created",
    Outcome.UPDATED: "would be updated",
    Outcome.SKIPPED: "would be skipped",
    Outcome.FAILED: "would fail",
}


@dataclass
class ItemReport:
    """One item: what happened to it and why, what to look at, and the post it became."""

    label: str
    outcome: Outcome
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    page_id: int | None = None
    address: str = ""
    published: bool = False


@dataclass
class ImportReport:
    source_format: str
    dry_run: bool
    items: list[ItemReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(item.outcome for item in self.items)
        return {outcome.value: counted.get(outcome, 0) for outcome in Outcome}

    def outcome_words(self, outcome: Outcome) -> str:
        return DRY_RUN_WORDS[outcome] if self.dry_run else outcome.label

    def summary(self) -> str:
        """ "3 created, 1 updated, 2 skipped" (or "would be created", ...), leaving out the zeros."""
        counts = self.counts
        parts = [
            f"{counts[outcome.value]} {self.outcome_words(outcome)}"
            for outcome in Outcome
            if counts[outcome.value]
        ]
        return ", ".join(parts) or "nothing to import"

    def state(self, item: ItemReport) -> str:
        """ "created as a draft", "would be updated and published", "skipped"."""
        words = self.outcome_words(item.outcome)
        if item.outcome in (Outcome.CREATED, Outcome.UPDATED):
            words += " and published" if item.published else " as a draft"
        return words

    @property
    def rows(self) -> list[tuple[ItemReport, str]]:
        return [(item, self.state(item)) for item in self.items]

    def to_data(self) -> dict:
        """The report as JSON-ready data, to keep with an import run in the admin."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> ImportReport:
        items = [ItemReport(**{**item, "outcome": Outcome(item["outcome"])}) for item in data["items"]]
        return cls(**{**data, "items": items})

    def lines(self) -> list[str]:
        """The report as plain text lines, as the management command prints it."""
        heading = "Dry run: nothing was changed." if self.dry_run else "Import finished."
        lines = [f"{heading} {self.source_format}: {self.summary()}.", *self.warnings]
        for item, state in self.rows:
            where = f" at {item.address}" if item.address else ""
            because = f": {item.reason}" if item.reason else ""
            lines.append(f"- {item.label}: {state}{where}{because}")
            lines.extend(f"    ! {warning}" for warning in item.warnings)
        return lines
