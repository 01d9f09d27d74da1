"""Extraction: claims, places, organisations, people, sectors and ILO indicators."""

from labourwatch.extract.pipeline import PIPELINE_VERSION, Pipeline, load_pipeline
from labourwatch.extract.record import evidence_record, sentence_spans
from labourwatch.records import SCHEMA

__all__ = ["PIPELINE_VERSION", "SCHEMA", "Pipeline", "evidence_record", "load_pipeline", "sentence_spans"]
