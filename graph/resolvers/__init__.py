"""Query and mutation fields: inputs to domain calls, domain errors to payload errors; nothing else."""
