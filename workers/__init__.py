"""Background work on arq: job modules translate to domain calls; WorkerSettings in workers.settings."""
