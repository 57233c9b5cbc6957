// Bootstraps for kxds's clients: Envoy (edge, sidecar) and proxyless gRPC, and their text form.
export { buildBootstrap, BOOTSTRAP_DEFAULTS } from './envoy-bootstrap';
export type { EnvoyBootstrapOptions } from './envoy-bootstrap';
export { buildProxylessBootstrap } from './proxyless-bootstrap';
export type { GrpcXdsBootstrap, ProxylessBootstrapOptions } from './proxyless-bootstrap';
export { envoyBootstrapJson, renderEnvoyBootstrap, renderProxylessBootstrap } from './render';
export type { BootstrapFormat } from './render';
export { parseDownwardApiLabels, podIdentityFromEnv, POD_ENV } from './pod-identity';
export type { PodIdentity } from './pod-identity';
export { parseXdsServerAddress } from './xds-server-address';
export type { XdsClientTls } from './xds-client-tls';
export * from './constants';
