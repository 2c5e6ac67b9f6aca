# The one image behind the web, worker and release processes (docker-compose.yml runs it).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Requirements before the code, so a code change does not reinstall every package.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .

# Hashed, Brotli/gzip-compressed static files baked into the image, where WhiteNoise serves them.
# Production settings refuse to load without a secret key and hosts; these throwaway values
# exist only inside this build step and are never used to serve anything.
RUN DJANGO_DEBUG=false SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Run unprivileged; the app writes only its logs and (without Cloudinary) uploaded media.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app mylabel \
    && mkdir -p /app/var/log /app/media \
    && chown -R mylabel /app/var /app/media
USER mylabel

ENV DJANGO_DEBUG=false \
    PORT=8000 \
    LOG_DIR=/app/var/log \
    MEDIA_ROOT=/app/media
EXPOSE 8000

# Same command as the Procfile's web process: bin/web runs uvicorn (HTTP and WebSocket through
# config.asgi) with exec, so uvicorn is PID 1 and gets the stop signal.
CMD ["bin/web"]
