# The one image for web, worker and beat. Installs exactly what requirements.lock pins.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=site_project.settings.production

RUN apt-get update \
    && apt-get install --yes --no-install-recommends libjpeg62-turbo libwebp7 postgresql-client curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 practice

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY --chown=practice:practice . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && mkdir -p /app/media && chown -R practice:practice /app/media /app/staticfiles

USER practice
EXPOSE 8000
CMD ["gunicorn", "site_project.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
