# socialrx web, worker and beat image (docker-compose.yml runs all three from it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# WeasyPrint renders the PDF reports and letters (ADR 0022): Pango lays the text out,
# and DejaVu and Noto give every script a glyph to embed (Polish, Vietnamese, Arabic).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, exactly as locked and each checked against its hash (ADR 0020), so
# that a code change rebuilds only the layers below. psycopg's binary wheel brings its
# own libpq. scripts/ci_runtime_check.py installs the same way and runs the result.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
# Editable, so `socialrx` imports from /app from any working directory: settings find
# templates/ and static/ beside the package (BASE_DIR), which a copy in site-packages
# would not have.
RUN pip install --no-deps -e .

# Hashed, compressed static files for whitenoise, built once into the image. Settings
# refuse DJANGO_DEBUG=false without production values, so give placeholders that live
# only for this command: nothing connects to the database here.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-secret-0123456789abcdef \
    MFA_ENCRYPTION_KEY=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXNlY3JldCE= \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    SOCIALRX_VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --no-input --verbosity 0 \
    && rm -rf /tmp/build-var

# Run as an unprivileged user that owns only the scratch folder (SOCIALRX_VAR_DIR).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home socialrx \
    && mkdir -p /app/var \
    && chown socialrx:socialrx /app/var
USER socialrx

EXPOSE 8000
# gunicorn reads WEB_CONCURRENCY for its number of workers.
CMD ["gunicorn", "socialrx.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
