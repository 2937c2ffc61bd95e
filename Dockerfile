# One image for the web server and the Celery worker (see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# Nanum (TrueType, which ReportLab embeds) so that PDF reports render Korean text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-nanum \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY portfolio ./portfolio
COPY scoring ./scoring
RUN pip install .
COPY . .

RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput

RUN useradd --create-home quadrant && mkdir -p /app/var && chown quadrant /app/var
USER quadrant

EXPOSE 8000
CMD ["gunicorn", "portfolio.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
