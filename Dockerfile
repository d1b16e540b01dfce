# The tracegraph service. The wheel is built with Node available so GraphiQL's assets are bundled into it;
# the runtime image has no Node and downloads nothing at run time.
#
# Both stages pin python:3.11-slim by its multi-arch index digest (the tag stays for readers; the digest decides), so
# a rebuild of the tag upstream cannot change an image built from this file. To move to a newer base on purpose:
#   docker buildx imagetools inspect python:3.11-slim     # prints "Digest: sha256:…" of the index
# and put that digest in both FROM lines (tests/unit/test_deployment_files.py refuses a FROM without one).
FROM python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm git && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir build && python -m build --wheel --outdir /dist

FROM python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7
RUN useradd --create-home --uid 10001 tracegraph
COPY --from=build /dist/*.whl /tmp/
RUN pip install --no-cache-dir /tmp/*.whl && rm /tmp/*.whl
USER tracegraph
ENV TRACEGRAPH_DATA_DIR=/home/tracegraph/data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
CMD ["tracegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
