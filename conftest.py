import os

# Tests run with DEBUG off, as production does; they only need a key of their own.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
