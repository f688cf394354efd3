# rnnviz: one app process (one Streamlit server). For a class, run several behind the sticky-session
# proxy in deploy/ (docker compose -f deploy/docker-compose.yml up -d; see deploy/README.md).
#
#   docker build -t rnnviz . && docker run --rm -p 8501:8501 rnnviz      # then http://localhost:8501
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# PyTorch first, as the CPU-only wheel from PyTorch's own index (the PyPI wheel would pull gigabytes
# of CUDA libraries). The version is the exact pin of requirements.txt, read from it; the next line
# then finds torch already satisfied.
COPY requirements.txt .
RUN pip install --index-url https://download.pytorch.org/whl/cpu "$(grep -E '^torch==' requirements.txt)" \
 && pip install -r requirements.txt

COPY . .
# The live charts load plotly.js from static/, which the app otherwise copies there at its first chart:
# do it now, while /app is still writable (the app runs as a user that cannot write /app).
RUN python -c "from rnnviz.ui.live_chart import ensure_plotly_js; assert ensure_plotly_js()" \
 && useradd --create-home --uid 10001 rnnviz

USER rnnviz

EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4).status != 200)"]

# One Streamlit process trains on about one core: torch is kept to one thread per session (app.py).
CMD ["streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "0.0.0.0", \
     "--server.port", "8501", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
