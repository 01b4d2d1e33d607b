"""The one failure that stops a run: nothing could be published."""


class PublishError(Exception):
    """Nothing was published: the document was invalid, the override unreadable, or status.json unwritable."""
