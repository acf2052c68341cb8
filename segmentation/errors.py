"""The engine's errors: each one's message is written for the manager who sent the file."""


class IngestError(Exception):
    """The upload cannot be read as a customer table; ``str(e)`` tells the manager why."""


class SegmentationError(Exception):
    """The table cannot be segmented as asked; ``str(e)`` says why and what to do."""
