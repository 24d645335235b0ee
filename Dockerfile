# Multi-stage build: a static binary in a small non-root image (distroless:
# no shell, no package manager; `internflow healthcheck URL` probes itself).
# BuildKit builds for the target platform from the build platform.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/internflow ./cmd/internflow

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/internflow /usr/local/bin/internflow
# Numeric, so Kubernetes can verify runAsNonRoot (distroless "nonroot").
USER 65532:65532
# 8080: API and pages (serve); 9090: worker metrics and probes (METRICS_ADDR).
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/internflow"]
CMD ["serve"]
