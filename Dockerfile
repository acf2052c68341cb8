# segbot in a container: long polling by default, the database on the /data volume.
#   docker build -t segbot .
#   docker run -d --name segbot --env-file segbot.env -v segbot-data:/data segbot
# segbot.env holds SEGBOT_TOKEN=... (chmod 600); the config is /data/config.toml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/opt/segbot/mplconfig

WORKDIR /opt/segbot
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY segmentation ./segmentation
COPY storage ./storage
# Install, build matplotlib's font cache now (not at the first upload), add the user.
RUN pip install . \
    && python -c "import matplotlib.font_manager as fm; fm.findfont('DejaVu Sans')" \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin segbot \
    && mkdir -p /data \
    && chown segbot:segbot /data \
    && chmod -R a+rX /opt/segbot/mplconfig

COPY config.example.toml /opt/segbot/config.example.toml
USER segbot
WORKDIR /data
VOLUME ["/data"]

# Healthy while the bot process runs and its database answers.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sqlite3, sys; sqlite3.connect('/data/segbot.db', timeout=5).execute('SELECT count(*) FROM sqlite_master').fetchone(); sys.exit(b'segbot' not in open('/proc/1/cmdline', 'rb').read())"]

ENTRYPOINT ["segbot"]
CMD ["run", "--config", "/data/config.toml"]
