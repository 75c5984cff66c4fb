# Grannvakt in a small image: Python 3.11 slim, the package installed into a virtual
# environment in a build stage, run as an unprivileged user, the database on a volume.
#   docker build -t grannvakt .
#   docker run -d --name grannvakt --env-file .env -v grannvakt-data:/data grannvakt
# See docs/deploy.md.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY config ./config
# tzdata: the slim image has no time zone database, and TIMEZONE needs one.
RUN python -m venv /opt/grannvakt \
    && /opt/grannvakt/bin/pip install --no-cache-dir . tzdata

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin grannvakt \
    && mkdir -p /data \
    && chown grannvakt:grannvakt /data
COPY --from=build /opt/grannvakt /opt/grannvakt
ENV PATH=/opt/grannvakt/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_PATH=/data/grannvakt.db
WORKDIR /data
# The database, its -wal/-shm/.lock files and the automatic pre-migration backups.
VOLUME ["/data"]
USER grannvakt
# Webhook mode only (WEBHOOK_URL set; WEBHOOK_LISTEN=0.0.0.0 inside a container).
EXPOSE 8443
HEALTHCHECK --interval=60s --timeout=15s --start-period=30s CMD ["grannvakt", "status"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["grannvakt"]
CMD ["run"]
