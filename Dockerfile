# syntax=docker/dockerfile:1
# The kxds image: the control plane (`kxds serve`), the bootstrap and iptables init containers the sidecar
# injector adds, `kxds certgen`, and the example greeter (`kxds demo-greeter`). `make image` builds it.

# Build: all dependencies, generated Envoy types, TypeScript compiled to dist/.
FROM node:22-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# `npm ci` runs the "prepare" script (gen-types + tsc), which needs the sources in place.
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY proto/ proto/
COPY src/ src/
RUN npm ci --no-audit --no-fund

# Runtime: production dependencies only (@grpc/grpc-js-xds among them: its deps/ holds the Envoy protos
# loaded at run time), the compiled dist/, kxds's own protos, and iptables for transparent capture.
FROM node:22-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends iptables \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/src/ dist/src/
COPY bin/ bin/
COPY proto/ proto/
RUN ln -s /app/bin/kxds.js /usr/local/bin/kxds
# A numeric user, so Kubernetes can check runAsNonRoot.
USER 10001:10001
EXPOSE 18000 18001 8443 9090
ENTRYPOINT ["kxds"]
CMD ["--help"]
