"""Opinion analysis: pure numpy / scikit-learn, no Flask, no SQLAlchemy, no I/O."""
