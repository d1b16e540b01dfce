# The tracegraph service. The wheel is built with Node available so GraphiQL's assets are bundled into it;
# the runtime image has no Node and downloads nothing at run time.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm git && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir build && python -m build --wheel --outdir /dist

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 tracegraph
COPY --from=build /dist/*.whl /tmp/
RUN pip install --no-cache-dir /tmp/*.whl && rm /tmp/*.whl
USER tracegraph
ENV TRACEGRAPH_DATA_DIR=/home/tracegraph/data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
CMD ["tracegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
