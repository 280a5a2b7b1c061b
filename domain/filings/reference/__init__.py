"""Reference data of filings: provinces, enterprises (suggestions, import) and qualifications (import, a person's
own)."""

from domain.filings.reference.csv_import import MAX_REPORTED_ERRORS, ImportReport, RowError
from domain.filings.reference.dev_seed import seed_reference
from domain.filings.reference.enterprises import enterprises_by_ids, is_qualified, name_initials
from domain.filings.reference.import_jobs import import_jobs_for, queue_import, run_import_job
from domain.filings.reference.imports import import_enterprises, import_qualifications
from domain.filings.reference.provinces import PROVINCES, province_code, province_name
from domain.filings.reference.qualifications import qualifications_for_people, qualifications_visible_to
from domain.filings.reference.suggestions import MAX_SUGGESTIONS, suggest_enterprises

__all__ = [
    "MAX_REPORTED_ERRORS",
    "MAX_SUGGESTIONS",
    "PROVINCES",
    "ImportReport",
    "RowError",
    "enterprises_by_ids",
    "import_enterprises",
    "import_jobs_for",
    "import_qualifications",
    "is_qualified",
    "name_initials",
    "province_code",
    "province_name",
    "qualifications_for_people",
    "qualifications_visible_to",
    "queue_import",
    "run_import_job",
    "seed_reference",
    "suggest_enterprises",
]
