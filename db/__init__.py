"""Storage: Tortoise models, connection config, migrations, the Redis connection."""
