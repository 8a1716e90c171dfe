# Sales Coach service image: slim Python, non-root, configured by the same environment variables.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DATA_DIR=/data HOST=0.0.0.0 PORT=8000

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY prompts ./prompts
COPY playbooks ./playbooks
COPY knowledge ./knowledge
RUN pip install -e . \
    && useradd --create-home --uid 10001 coach \
    && mkdir -p /data && chown coach /data

USER coach
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/api/health')"
CMD ["sh", "-c", "sales-coach db upgrade && sales-coach serve --host 0.0.0.0 --port ${PORT}"]
