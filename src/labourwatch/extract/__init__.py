"""Extraction: claims, places, organisations, people, sectors and ILO indicators."""

from labourwatch.extract.pipeline import PIPELINE_VERSION, Pipeline
from labourwatch.extract.record import SCHEMA, evidence_record

__all__ = ["PIPELINE_VERSION", "SCHEMA", "Pipeline", "evidence_record"]
