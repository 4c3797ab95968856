"""The base for the API's input schemas: every app's `...In` schema derives from `StrictSchema`.

A field the operation does not know is refused (422, naming the field) rather than silently dropped: a
client that misspells `stay_days` as `stay_day` must hear about it, not get the default. Output schemas
stay plain `ninja.Schema` (they read model attributes, where extra attributes are normal).
"""

from ninja import Schema
from pydantic import BaseModel, ConfigDict


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class StrictBulkIn(BaseModel):
    """`StrictSchema` for a body of thousands of items (a sync batch): a plain pydantic model. ninja's Schema
    runs every item through a hook for reading Django objects, which costs more than the rest of the
    parsing; a body that arrives as JSON has no Django object in it."""

    model_config = ConfigDict(extra="forbid")
