# The API image: the package installed (not editable) with its migrations; `techtransfer serve`
# applies them on start. Configuration comes from the environment (see README, "Configuration").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/techtransfer
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install . && useradd --system --uid 10001 --home-dir /srv/techtransfer techtransfer \
    && mkdir -p /var/lib/techtransfer/index && chown -R techtransfer /var/lib/techtransfer

USER techtransfer
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=3).status != 200)"]
CMD ["techtransfer", "serve", "--host", "0.0.0.0", "--port", "8000"]
