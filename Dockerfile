# consentlint as a container image: the static binary alone, run as an unprivileged user.
#
#   docker build -t consentlint .
#   docker run --rm -v "$PWD:/work" consentlint check --format plain .
#
# The build stage compiles a static (musl) binary with the versions in Cargo.lock; the image is
# `scratch` plus that binary (a few MB): no shell, no package manager, nothing else to patch.
# scripts/container-e2e.sh builds it and runs `check` where a container engine is available.
FROM rust:1.90-alpine AS build
RUN apk add --no-cache build-base
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin consentlint \
    && strip target/release/consentlint

FROM scratch
COPY --from=build /src/target/release/consentlint /usr/local/bin/consentlint
# 65532: the conventional "nonroot" user of distroless images; no passwd file is needed.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/consentlint"]
CMD ["check", "."]
