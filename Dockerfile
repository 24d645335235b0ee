# Multi-stage build: a static binary in a small non-root image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/internflow ./cmd/internflow

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/internflow /usr/local/bin/internflow
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/internflow"]
CMD ["serve"]
