"""Domain errors that carry a message for the station worker."""

from __future__ import annotations


class ValidationError(Exception):
    """Input that breaks a rule. Nothing was changed.

    Attributes:
        errors: field name -> Chinese message, shown next to that field.
    """

    def __init__(self, errors: dict[str, str] | str) -> None:
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = errors
        super().__init__("；".join(errors.values()))

    @property
    def message(self) -> str:
        return "；".join(self.errors.values())


class NotFound(ValidationError):
    """The record asked for does not exist."""
