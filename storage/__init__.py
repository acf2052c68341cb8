"""One SQLite file that remembers every chat's uploads, runs and results.

Knows nothing of Telegram or of the engine: it stores and returns plain data (dataclasses,
dicts, DataFrames), always scoped by chat.
"""

from storage.backup import BackupReport, backup_database
from storage.records import (
    CustomerRecord,
    DatasetInfo,
    NewDataset,
    NewRun,
    RunInfo,
    SavedUpload,
    StoreError,
)
from storage.store import DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_KEEP_DATASETS, CustomerStore
from storage.writes import EncodedCustomers, PreparedUpload, encode_customers, prepare_upload

__all__ = [
    "DEFAULT_BUSY_TIMEOUT_MS",
    "DEFAULT_KEEP_DATASETS",
    "BackupReport",
    "CustomerRecord",
    "CustomerStore",
    "DatasetInfo",
    "EncodedCustomers",
    "NewDataset",
    "NewRun",
    "PreparedUpload",
    "RunInfo",
    "SavedUpload",
    "StoreError",
    "backup_database",
    "encode_customers",
    "prepare_upload",
]
