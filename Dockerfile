# Pagebox in a container: the same self-contained single-file binary as ./scripts/publish, on a minimal base.
#
#   docker build -t pagebox .
#   docker run --rm -p 8480:8480 -v pagebox-data:/data pagebox
#
# Inside the container Pagebox binds 0.0.0.0 (PAGEBOX_HOST) so the published port reaches it; outside, bind the
# port to the loopback interface if others on your network should not see it: -p 127.0.0.1:8480:8480.

# :: Stage 1: build with the SDK (the version global.json asks for).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# The linux-x64 binary is compiled ahead of time (Native AOT), which links with clang against zlib.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends clang zlib1g-dev \
    && ./scripts/publish linux-x64 /out

# :: Stage 2: run. runtime-deps has what a self-contained .NET app needs (libc, ICU, OpenSSL) and nothing else.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS run
WORKDIR /app
COPY --from=build /out/pagebox /out/libe_sqlite3.so /app/
# A non-root user owns the data volume; the image's own `app` user (uid 1654) is used, as .NET's images document.
RUN mkdir -p /data && chown app:app /data
USER app
ENV PAGEBOX_HOST=0.0.0.0 \
    PAGEBOX_PORT=8480 \
    PAGEBOX_DATA=/data
VOLUME ["/data"]
EXPOSE 8480
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["/app/pagebox", "health"]
ENTRYPOINT ["/app/pagebox"]
CMD ["serve"]
