// The sidecar injector's public surface, for `kxds serve` to wire up.
export { startWebhookServer, MUTATE_PATHS, ENABLED_NAMESPACE_PATH, DEFAULT_MAX_BODY_BYTES } from './server';
export type { WebhookServer, WebhookServerOptions } from './server';
export { injectSidecar } from './inject';
export type { InjectionResult, InjectionStatus, NamespaceInfo } from './inject';
export { injectionSettings, DEFAULT_PROXY_RESOURCES, SYSTEM_NAMESPACES } from './settings';
export type { InjectionSettings, ProxyResources } from './settings';
export { generateServingCertificate, serviceDnsNames } from './serving-cert';
export type { ServingCertificate } from './serving-cert';
export * from './annotations';
