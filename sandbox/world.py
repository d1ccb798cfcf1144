"""Load a world directory into store collections (the format: ``docs/world-format.md``).

A world is a ``world.yaml`` (name, frozen ``now``) plus one JSON file per record type, each a
list of records in the system's native shape. ``load_world`` validates every record against the
schemas in ``sandbox.world_schema`` and the references inside each system (links across
systems are realistic to break and are not checked), and fails with a
``WorldError`` naming the file, the record and the field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

Record = dict[str, Any]

# relative file → (store collection, id field). Salesforce also accepts any other
# ``salesforce/<SObject>.json`` (collection ``salesforce.<SObject>``, id ``Id``).
FILES: dict[str, tuple[str, str]] = {
    "salesforce/User.json": ("salesforce.User", "Id"),
    "salesforce/Account.json": ("salesforce.Account", "Id"),
    "salesforce/Contact.json": ("salesforce.Contact", "Id"),
    "salesforce/Opportunity.json": ("salesforce.Opportunity", "Id"),
    "salesforce/Task.json": ("salesforce.Task", "Id"),
    "zendesk/users.json": ("zendesk.users", "id"),
    "zendesk/groups.json": ("zendesk.groups", "id"),
    "zendesk/organizations.json": ("zendesk.organizations", "id"),
    "zendesk/tickets.json": ("zendesk.tickets", "id"),
    # comments.json is an object {"<ticket id>": [comment, ...]}; see _load_comments.
    "kyc/applications.json": ("kyc.applications", "application_token"),
    "pos/boarding_applications.json": ("pos.boarding_applications", "applicationId"),
    "pos/hardware_orders.json": ("pos.hardware_orders", "id"),
    "pos/readers.json": ("pos.readers", "id"),
    "pos/charges.json": ("pos.charges", "id"),
}
COMMENTS_FILE = "zendesk/comments.json"


class WorldError(ValueError):
    """A world that cannot be loaded; the message names the file, record and field."""

    def __init__(
        self, file: str, message: str, record: str | None = None, field: str | None = None
    ) -> None:
        where = file
        if record is not None:
            where += f": record {record}"
        if field is not None:
            where += f": field {field!r}"
        super().__init__(f"{where}: {message}")
        self.file, self.record, self.field = file, record, field


@dataclass
class World:
    name: str
    now: datetime
    path: Path
    description: str = ""
    # store collection → [(id, record)]
    collections: dict[str, list[tuple[str, Record]]] = field(default_factory=dict)
    digest: str = ""

    def fingerprint(self) -> str:
        return self.digest

    def records(self, collection: str) -> list[Record]:
        return [rec for _, rec in self.collections.get(collection, [])]


def load_world(path: str | Path) -> World:
    root = Path(path)
    meta_file = root / "world.yaml"
    if not meta_file.is_file():
        raise WorldError(str(meta_file), "missing: a world directory needs a world.yaml")
    meta = _read_yaml(meta_file)
    world = World(
        name=str(meta.get("name") or root.name),
        now=_parse_now(meta.get("now"), str(meta_file)),
        path=root,
        description=str(meta.get("description", "")),
    )
    hasher = hashlib.sha256(meta_file.read_bytes())
    for rel, (collection, id_field) in _files(root).items():
        file = root / rel
        if not file.is_file():
            continue
        hasher.update(rel.encode() + file.read_bytes())
        records = _read_json_list(file, rel)
        world.collections[collection] = _keyed(records, rel, id_field)
    comments = root / COMMENTS_FILE
    if comments.is_file():
        hasher.update(COMMENTS_FILE.encode() + comments.read_bytes())
        world.collections["zendesk.comments"] = _load_comments(comments)
    world.digest = hasher.hexdigest()[:16]
    # Imported here: the schema module imports World from this one.
    from sandbox.world_schema import validate_world

    validate_world(world)
    return world


def _files(root: Path) -> dict[str, tuple[str, str]]:
    files = dict(FILES)
    sf = root / "salesforce"
    if sf.is_dir():
        for extra in sorted(sf.glob("*.json")):
            rel = f"salesforce/{extra.name}"
            files.setdefault(rel, (f"salesforce.{extra.stem}", "Id"))
    return files


def _read_yaml(file: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise WorldError(str(file), f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise WorldError(str(file), "must be a mapping with at least 'now'")
    return data


def _parse_now(value: Any, file: str) -> datetime:
    if value is None:
        raise WorldError(file, "missing: the world's frozen clock", field="now")
    try:
        now = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise WorldError(file, f"not an ISO-8601 timestamp: {value!r}", field="now") from exc
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _read_json(file: Path, rel: str) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WorldError(rel, f"not valid JSON: {exc}") from exc


def _read_json_list(file: Path, rel: str) -> list[Record]:
    data = _read_json(file, rel)
    if not isinstance(data, list):
        raise WorldError(rel, "must be a JSON list of records")
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise WorldError(rel, "must be a JSON object", record=f"#{i}")
    return data


def _keyed(records: list[Record], rel: str, id_field: str) -> list[tuple[str, Record]]:
    seen: set[str] = set()
    out = []
    for i, rec in enumerate(records):
        rid = rec.get(id_field)
        if rid in (None, ""):
            raise WorldError(rel, "missing", record=f"#{i}", field=id_field)
        key = str(rid)
        if key in seen:
            raise WorldError(rel, f"duplicate id {key!r}", record=f"#{i}", field=id_field)
        seen.add(key)
        out.append((key, rec))
    return out


def _load_comments(file: Path) -> list[tuple[str, Record]]:
    data = _read_json(file, COMMENTS_FILE)
    if not isinstance(data, dict):
        raise WorldError(COMMENTS_FILE, 'must be an object {"<ticket id>": [comment, ...]}')
    out: list[tuple[str, Record]] = []
    for ticket_id, comments in data.items():
        if not isinstance(comments, list):
            raise WorldError(COMMENTS_FILE, "must be a list of comments", record=ticket_id)
        for i, comment in enumerate(comments):
            if not isinstance(comment, dict) or comment.get("id") in (None, ""):
                raise WorldError(COMMENTS_FILE, "missing", record=f"{ticket_id}#{i}", field="id")
            # Stored beside the comment so the emulator can list a ticket's comments.
            out.append((str(comment["id"]), {**comment, "ticket_id": _int(ticket_id)}))
    return out


def _int(value: str) -> int | str:
    return int(value) if value.isdigit() else value
