// Everything `kxds serve` runs with, behind one dynamic import: registering the command (and so `kxds
// --help` and `kxds --version`) must not load gRPC, protobufjs, the Kubernetes client or RxJS.
export { createLogger } from '../log';
export { startApp } from '../app';
export { createSource } from '../sources';
export { secretInterest } from '../frontends/secret-references';
export { startDemoBackends } from '../demo/backends';
export { withDemoBackendPort } from '../demo/demo-source';
export { startWebhookServer } from '../webhook';
export { xdsServerCredentials, xdsServerTls } from '../server/xds-tls';
export { prepareClusterMode } from './cluster-setup';
export { webhookServerOptions } from './webhook-setup';
export { startWorkloadCa } from './ca-setup';
export { KubeSource } from '../sources/kube-source';
