# One image for web, worker and beat (the command picks the process type, as in the Procfile).
FROM python:3.11.7-slim-bookworm

# FACTORCARD_DOTENV=0: settings never read a .env file in a container (.dockerignore keeps it out too).
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FACTORCARD_DOTENV=0 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

# git: the workers clone repositories with it (GitPython drives the git binary).
RUN apt-get update \
    && apt-get install -y --no-install-recommends git openssh-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 factorcard

WORKDIR /srv/factorcard
COPY requirements.lock.txt ./
RUN pip install -r requirements.lock.txt
COPY . .
# Static files are collected at build time; SECRET_KEY is only needed to import settings, never kept.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0

USER factorcard
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=2)"]
CMD ["gunicorn", "app.wsgi", "--config", "gunicorn.conf.py"]
