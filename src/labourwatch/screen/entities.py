"""What is screened against: list entities from FollowTheMoney files, plain CSV lists, or the
organisations and people named in the evidence store; and the queries themselves."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from labourwatch.errors import ScreenInputError

ORG_SCHEMAS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
PERSON_SCHEMAS = frozenset({"Person"})
QUERY_COLUMNS = {"name", "country", "id", "schema"}




@dataclass
class Entity:
    id: str
    schema: str
    names: list[str]  # the first is the caption
    countries: set[str] = field(default_factory=set)
    datasets: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)  # from the evidence store: where it is named


@dataclass
class Query:
    row: dict[str, str]
    name: str
    countries: set[str]
    schema: str | None


def _decode(raw: bytes, where: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ScreenInputError(f"{where}: cannot decode the file (not UTF-8 or Windows-1252)")


def _countries(value: str | list[str] | None) -> set[str]:
    if not value:
        return set()
    items = value if isinstance(value, list) else value.replace(";", ",").split(",")
    return {c.strip().upper() for c in items if c and c.strip()}


def read_queries(path: Path, warn: list[str]) -> list[Query]:
    where = str(path)
    try:
        text = _decode(path.read_bytes(), where)
    except OSError as exc:
        raise ScreenInputError(f"{where}: cannot read: {exc.strerror or exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ScreenInputError(f"{where}: a query file needs a 'name' column (found: {reader.fieldnames})")
    fields = {f: f.strip().lower() for f in reader.fieldnames}
    unknown = sorted(set(fields.values()) - QUERY_COLUMNS)
    if unknown:
        warn.append(f"{where}: columns {', '.join(unknown)} are not used (known: name, country, id, schema)")
    queries = []
    for line, raw in enumerate(reader, start=2):
        row = {fields[k]: (v or "").strip() for k, v in raw.items() if k in fields}
        if not row.get("name"):
            warn.append(f"{where}: line {line}: no name; row skipped")
            continue
        schema = row.get("schema") or None
        if schema and schema not in ORG_SCHEMAS | PERSON_SCHEMAS:
            warn.append(f"{where}: line {line}: unknown schema {schema!r}; ignored")
            schema = None
        queries.append(Query(row, row["name"], _countries(row.get("country")), schema))
    if not queries:
        raise ScreenInputError(f"{where}: no query with a name")
    return queries


def read_list(spec: str, warn: list[str], store_path: str | None = None) -> Iterator[Entity]:
    """``store``, a FollowTheMoney JSON Lines file, or a CSV list of names."""
    if spec == "store":
        yield from store_entities(store_path)
        return
    path = Path(spec)
    if not path.exists():
        raise ScreenInputError(f"{spec}: no such list file")
    if path.suffix.lower() in (".json", ".jsonl", ".ftm", ".ijson"):
        yield from ftm_entities(path, warn)
    elif path.suffix.lower() in (".csv", ".tsv"):
        yield from csv_entities(path, warn)
    else:
        raise ScreenInputError(f"{spec}: unknown list format (FollowTheMoney .json/.jsonl, or .csv)")


def ftm_entities(path: Path, warn: list[str]) -> Iterator[Entity]:
    """Entities as OpenSanctions publishes them: one JSON object a line, checked by the
    followthemoney library's model (schema and property names); a bad line is a warning."""
    where = str(path)
    good = 0
    first_problem: str | None = None
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError, ValueError) as exc:
                if good == 0 and number == 1:
                    raise ScreenInputError(f"{where}: not a FollowTheMoney JSON Lines file ({exc})") from None
                warn.append(f"{where}: line {number}: malformed JSON; skipped")
                continue
            entity = _ftm_entity(data, f"{path.name}:{number}")
            if isinstance(entity, str):
                if good == 0 and number == 1 and entity.startswith("not an entity"):
                    raise ScreenInputError(f"{where}: line 1 is not a FollowTheMoney entity ({entity})")
                warn.append(f"{where}: line {number}: {entity}; skipped")
                first_problem = first_problem or f"line {number}: {entity}"
                continue
            good += 1
            yield entity
    if good == 0 and first_problem:  # a list of nothing usable is an error, not a quiet empty list
        raise ScreenInputError(f"{where}: no usable FollowTheMoney entity ({first_problem})")


def _ftm_entity(data: object, fallback_id: str) -> Entity | str:
    """The entity of one FtM object, or the reason it cannot be one."""
    from followthemoney import model

    if not isinstance(data, dict) or "schema" not in data or not isinstance(data.get("properties"), dict):
        return "not an entity (no schema/properties)"
    for key, values in data["properties"].items():
        # The library would index a bare string letter by letter: check the shape first.
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"property {key!r} is not a list of strings"
    # The library's model says which schemata and properties exist; building a full proxy for
    # each of a million lines would take half a minute, and screening needs only names.
    schema = model.get(data["schema"]) if isinstance(data["schema"], str) else None
    if schema is None:
        return f"invalid entity: unknown schema {data['schema']!r}"
    props: dict[str, list[str]] = data["properties"]
    unknown = [key for key in props if key not in schema.properties]
    if unknown:
        return f"invalid entity: {schema.name} has no property {unknown[0]!r}"
    names = [n for key in ("name", "alias", "weakAlias", "previousName") for n in props.get(key, [])]
    if not names:
        return f"entity {data.get('id')} has no name"
    countries = [c for key in ("country", "nationality", "jurisdiction") for c in props.get(key, [])]
    topics = props.get("topics") or [t for t in data.get("topics", []) if isinstance(t, str)]
    datasets = [d for d in data.get("datasets", []) if isinstance(d, str)]
    entity_id = str(data.get("id") or fallback_id)
    return Entity(entity_id, schema.name, names, _countries(countries), datasets, topics)


def csv_entities(path: Path, warn: list[str]) -> Iterator[Entity]:
    where = str(path)
    text = _decode(path.read_bytes(), where)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    fields = {f: f.strip().lower() for f in (reader.fieldnames or [])}
    if "name" not in fields.values():
        raise ScreenInputError(f"{where}: a CSV list needs a 'name' column (found: {reader.fieldnames})")
    for line, raw in enumerate(reader, start=2):
        row = {fields[k]: (v or "").strip() for k, v in raw.items() if k in fields}
        if not row.get("name"):
            warn.append(f"{where}: line {line}: no name; skipped")
            continue
        aliases = [a.strip() for a in (row.get("aliases") or row.get("alias") or "").split(";") if a.strip()]
        yield Entity(
            row.get("id") or f"{path.name}:{line}",
            row.get("schema") or "LegalEntity",
            [row["name"], *aliases],
            _countries(row.get("country")),
            [path.stem],
            [t.strip() for t in (row.get("topics") or "").split(";") if t.strip()],
        )


def store_queries(store_path: str | None) -> list[Query]:
    """The organisations and people named in the evidence store, as queries."""
    return [
        Query({"name": e.names[0], "schema": e.schema, "id": e.id}, e.names[0], set(), e.schema)
        for e in store_entities(store_path)
    ]


def store_entities(store_path: str | None) -> Iterator[Entity]:
    """Organisations and people named in the evidence store, with the sentences that name them."""
    from labourwatch.store import Store

    with Store.open(store_path, create=False) as store:
        current: Entity | None = None
        for mention in store.named_mentions():
            schema = "Person" if mention.kind == "person" else "Organization"
            key = f"store:{schema}:{mention.name.lower()}"
            if current is None or current.id != key:
                if current:
                    yield current
                current = Entity(key, schema, [mention.name], set(), ["store"], [])
            if len(current.quotes) < 3:
                where = mention.document_title or mention.document_id[:12]
                current.quotes.append(f"{mention.quote.strip()} ({where})")
        if current:
            yield current
