"""Storage: SQLAlchemy models and the database session, SQLite by default, PostgreSQL by URL."""
