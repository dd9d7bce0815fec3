# AIII Exchange: one image for the web, worker and beat processes (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIII_VAR_DIR=/app/var \
    PYTHONPATH=/app

WORKDIR /app

# GNU gettext's msgfmt compiles the message catalogues (locale/) at build time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them: the exact versions and hashes
# of requirements/base.lock (made by scripts/lock from pyproject.toml's ranges).
COPY requirements/base.lock ./requirements/
RUN pip install --require-hashes -r requirements/base.lock

COPY . .
# Compiled catalogues are built here, never committed (DEBUG=1 only lets settings load without a key).
RUN DEBUG=1 python manage.py compilemessages --verbosity 0 --ignore var
RUN useradd --system --uid 1000 --home-dir /app --no-create-home aiii \
    && mkdir -p /app/var \
    && chown -R aiii /app/var
USER aiii

EXPOSE 8000
# docker-compose.yml runs migrations and collectstatic before this (see the web service).
CMD ["gunicorn", "aiii.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
