# syntax=docker/dockerfile:1
# The clinic assistant, one image for every process (docs/deploy.md): the Rasa server,
# the action server, the staff app, and the setup and purge jobs; each Kubernetes
# manifest chooses the command. Build from the repository's root:
#   docker build --platform linux/amd64 -t registry.clinic.example/clinic-assistant:0.1.0 .
# The model is trained while the image is built (about 2 minutes on 2 cores), from the
# training data, clinic.yml and answers of this checkout, so one image is one model.

# --- the web chat widget (web/dist), as `make widget` builds it -------------------------
FROM node:22-bookworm-slim AS widget
WORKDIR /build/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/build.mjs ./
COPY web/src ./src
RUN node build.mjs

# --- the assistant ------------------------------------------------------------------------
FROM python:3.10-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2

# tini as PID 1: passes Kubernetes' SIGTERM on and reaps child processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

# The pinned dependencies, as the Makefile's install step resolves them (the same pip and
# setuptools, requirements.txt constrained by constraints.txt and requirements.lock), but
# without the test tools of requirements-dev.txt.
RUN python -m venv /opt/venv \
 && pip install -q --upgrade "pip<25" "setuptools<70" wheel
WORKDIR /app
COPY requirements.txt constraints.txt requirements.lock ./
RUN pip install -q -r requirements.txt -c constraints.txt -c requirements.lock

# The project itself, importable through PYTHONPATH=/app (as the Makefile's PYTHONPATH
# does), not installed into site-packages: bot/settings.py finds data/, domain.yml and
# clinic.yml beside the bot package.
COPY alembic.ini config.yml domain.yml endpoints.yml credentials.yml clinic.yml ./
COPY bot ./bot
COPY actions ./actions
COPY data ./data
COPY --from=widget /build/web/dist ./web/dist

# `make train`: setup (here against a throw-away SQLite database) writes the escalation
# replies of domain.yml from the answers and clinic.yml, then the Makefile's
# models/assistant.tar.gz rule trains. Rasa's training cache is not kept.
RUN DATABASE_URL=sqlite:////tmp/build/assistant.db python -m bot.cli setup \
 && rasa train --data data/nlu data/rules.yml --config config.yml --domain domain.yml \
      --out models --fixed-model-name assistant \
 && test -f models/assistant.tar.gz \
 && rm -rf /tmp/build .rasa \
 && python -m compileall -q bot actions

# Runs as an unprivileged user that owns none of the files above.
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/app \
      --shell /usr/sbin/nologin app
USER 10001:10001

EXPOSE 5005 5055 8090
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python", "-m", "bot.cli", "--help"]
