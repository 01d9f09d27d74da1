"""Evidence out, in the formats other tools read: WARC (web archives), FollowTheMoney (Aleph,
OpenSanctions), CSV and Parquet (spreadsheets, pandas, DuckDB), GeoJSON (QGIS)."""

from labourwatch.export.ftm import ftm_entities, write_ftm
from labourwatch.export.geojson import geojson_collection, write_geojson
from labourwatch.export.tables import data_dictionary, write_csv, write_parquet
from labourwatch.export.warc import write_warc

__all__ = [
    "data_dictionary", "ftm_entities", "geojson_collection", "write_csv", "write_ftm", "write_geojson",
    "write_parquet", "write_warc",
]
