# syntax=docker/dockerfile:1
# Build a static binary (pure-Go SQLite, no cgo), then ship it alone on a
# distroless base that runs as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/gatehouse ./cmd/gatehouse \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gatehouse /gatehouse
# The database lives on a volume owned by the nonroot user (uid 65532).
COPY --from=build --chown=65532:65532 /out/data /data
VOLUME ["/data"]
USER 65532:65532
# 7860 is the port Hugging Face Spaces expects, as in the seed app.
ENV PORT=7860 \
    DATABASE_URL=sqlite:/data/users.db
EXPOSE 7860
ENTRYPOINT ["/gatehouse"]
