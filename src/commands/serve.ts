// `kxds serve`: run the control plane. Only the flags are registered up front; what runs them is loaded
// when the command does (serve-runtime.ts).
import type { Command } from 'commander';
import type { Logger } from '../log';
import { Option } from 'commander';
import type { LogLevel } from '../log';
import { splitHostPort } from '../admin/http-server';
import { addWebhookOptions, type WebhookFlags } from './webhook-options';
import { addClusterOptions, type ClusterFlags } from './cluster-options';
import { parseDurationMs } from '../translate/annotations';
import { accessPolicy, addAccessOptions, type AccessFlags } from './access-options';
import { addXdsLimitOptions, xdsLimits, type XdsLimitFlags } from './xds-limit-options';
import { addCaOptions, caSettings, type CaFlags } from './ca-options';
import { DEFAULT_MAX_NODE_CHOSEN_GROUPS } from '../xds/limits';
import { checkListeners, ListenerUnavailable, type PlannedListener } from './listeners';
import { DEMO_BACKEND_PORT, DEMO_BACKENDS } from '../demo/ports';

interface ServeFlags extends WebhookFlags, ClusterFlags, AccessFlags, XdsLimitFlags, CaFlags {
  manifests?: string;
  kubeconfig?: string;
  namespace: string[];
  xdsAddress: string;
  adminAddress: string;
  metricsAddress?: string;
  logLevel: LogLevel;
  debounce: string;
  maxWait: string;
  maxNodeGroups: string;
  demoBackends?: boolean;
  ingressClass: string;
  edgeHttpPort: string;
  edgeHttpsPort: string;
  allowExternalName?: boolean;
  defaultCertificate?: string;
  tcpServicesConfigmap?: string;
  udpServicesConfigmap?: string;
  edgeTrustedHops: string;
  edgeProxyProtocol?: boolean;
  connectTimeout: string;
  xdsTlsCert?: string;
  xdsTlsKey?: string;
  xdsClientCa?: string;
  xdsProxylessAddress?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function positiveInt(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new Error(`${flag}: "${value}" is not a whole number between 0 and ${max}`);
  return n;
}

/** --connect-timeout: a duration such as "5s" or "750ms", greater than zero (Envoy refuses zero). */
export function connectTimeoutFlag(value: string): number {
  const ms = parseDurationMs(value.trim(), false);
  if (ms === undefined || ms <= 0)
    throw new Error(`--connect-timeout: "${value}" is not a duration above zero such as "5s" or "750ms"`);
  return ms;
}

const OBJECT_REF = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** --default-certificate: a Secret reference NAMESPACE/NAME. */
export function defaultCertificateFlag(value: string): string {
  if (!OBJECT_REF.test(value))
    throw new Error(`--default-certificate: "${value}" is not a Secret reference NAMESPACE/NAME`);
  return value;
}

/** --tcp-services-configmap, --udp-services-configmap: a ConfigMap reference NAMESPACE/NAME. */
export function configMapFlag(flag: string, value: string): string {
  if (!OBJECT_REF.test(value))
    throw new Error(`${flag}: "${value}" is not a ConfigMap reference NAMESPACE/NAME`);
  return value;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('run the xDS control plane')
    .option('--manifests <dir>', 'watch a directory of Kubernetes YAML instead of a cluster')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--namespace <ns>', 'watch only this namespace (repeatable; default: all)', collect, [])
    .option('--xds-address <host:port>', 'ADS gRPC listen address', '0.0.0.0:18000')
    .option(
      '--admin-address <host:port>',
      'admin HTTP listen address (/healthz, /readyz, /metrics, /debug, /ui; GET / lists them)',
      '127.0.0.1:9090',
    )
    .option(
      '--metrics-address <host:port>',
      'also serve /metrics (and /healthz, /readyz) here, e.g. 0.0.0.0:9091 while the admin address stays on localhost',
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['trace', 'debug', 'info', 'warn', 'error', 'silent'])
        .default('info'),
    )
    .option(
      '--xds-tls-cert <path>',
      'xDS serving certificate (PEM); with the next two, mutual TLS is required',
    )
    .option('--xds-tls-key <path>', 'key of --xds-tls-cert (PEM)')
    .option('--xds-client-ca <path>', 'CA bundle (PEM) that must have signed every xDS client certificate')
    .option(
      '--xds-proxyless-address <host:port>',
      'extra plaintext xDS port that serves only the proxyless role (for gRPC clients without xDS TLS)',
    )
    .option(
      '--debounce <ms>',
      'changes closer together than this are coalesced (the first after a quiet period builds at once)',
      '100',
    )
    .option('--max-wait <ms>', 'longest a change waits for a snapshot under constant churn', '1000')
    .option('--ingress-class <name>', 'IngressClass name this controller serves', 'kxds')
    .option('--edge-http-port <port>', 'edge Envoy HTTP listener port', '8080')
    .option('--edge-https-port <port>', 'edge Envoy HTTPS listener port', '8443')
    .option(
      '--default-certificate <namespace/name>',
      'TLS Secret the edge presents to clients without SNI or with a host no Ingress lists (it serves the hosts it names)',
    )
    .option(
      '--tcp-services-configmap <namespace/name>',
      'ConfigMap of TCP services the edge forwards, ingress-nginx format: "PORT": "NAMESPACE/SERVICE:PORT"',
    )
    .option(
      '--udp-services-configmap <namespace/name>',
      'ConfigMap of UDP services the edge forwards, ingress-nginx format: "PORT": "NAMESPACE/SERVICE:PORT"',
    )
    .option(
      '--edge-trusted-hops <n>',
      'X-Forwarded-For entries (from the right) written by proxies in front of the edge that it trusts for the client address (source ranges)',
      '0',
    )
    .option(
      '--edge-proxy-protocol',
      'the edge listeners expect a PROXY protocol header (v1 or v2) on every connection and take the client address from it',
    )
    .option(
      '--allow-external-name',
      'serve ExternalName Services at the edge as DNS clusters (lets Ingress authors reach outside the cluster)',
    )
    .option(
      '--connect-timeout <duration>',
      'upstream connect timeout of every cluster (edge, sidecars, proxyless); a Service overrides it with kxds.io/connect-timeout',
      '5s',
    )
    .option(
      '--max-node-groups <n>',
      'node groups that only node metadata calls for (sidecar egress lists, namespaces kxds does not know) ' +
        'allowed at once; a stream asking for one more is refused with RESOURCE_EXHAUSTED',
      String(DEFAULT_MAX_NODE_CHOSEN_GROUPS),
    )
    .option(
      '--demo-backends',
      'also start the two demo greeter backends on 127.0.0.2/127.0.0.3 (for demo/manifests)',
    );
  addXdsLimitOptions(command);
  addCaOptions(command);
  addWebhookOptions(addAccessOptions(addClusterOptions(command))).action(async (flags: ServeFlags) => {
    const {
      createLogger,
      startApp,
      createSource,
      secretInterest,
      startDemoBackends,
      withDemoBackendPort,
      startWebhookServer,
      xdsServerCredentials,
      xdsServerTls,
      prepareClusterMode,
      webhookServerOptions,
      startWorkloadCa,
      KubeSource,
    } = await import('./serve-runtime.js');
    splitHostPort(flags.xdsAddress);
    splitHostPort(flags.adminAddress);
    if (flags.metricsAddress) splitHostPort(flags.metricsAddress);
    if (flags.xdsProxylessAddress) splitHostPort(flags.xdsProxylessAddress);
    const xdsTls = xdsServerTls(flags);
    const xdsAccess = accessPolicy(flags);
    const workloadCa = caSettings(flags);
    if (workloadCa && !xdsTls)
      throw new Error(
        '--ca-address serves TLS with the xDS serving certificate: give --xds-tls-cert, --xds-tls-key, --xds-client-ca',
      );
    const debounceMs = positiveInt('--debounce', flags.debounce, 1000);
    const maxWaitMs = positiveInt('--max-wait', flags.maxWait, 60_000);
    const connectTimeoutMs = connectTimeoutFlag(flags.connectTimeout);
    const maxNodeGroups = positiveInt('--max-node-groups', flags.maxNodeGroups, 100_000);
    const limits = xdsLimits(flags);
    const logger = createLogger(flags.logLevel);
    if (!xdsTls) plaintextAccessNotice(logger, flags.xdsAddress, xdsAccess.insecureRoles);
    // No API server calls a webhook of a manifests run: it starts there only when asked for.
    flags.webhook ??= !flags.manifests;
    let demoPort = DEMO_BACKEND_PORT;
    try {
      demoPort = await resolveListeners(flags, command, logger);
    } catch (err) {
      if (!(err instanceof ListenerUnavailable)) throw err;
      process.exitCode = 1;
      return;
    }
    // With --issue-certificates the files come from Secrets this very process may be the one to write.
    const waitForFiles = flags.issueCertificates === true;
    const tlsCredentials = xdsTls
      ? xdsServerCredentials(xdsTls, logger.child({ component: 'xds-tls' }), undefined, waitForFiles)
      : undefined;
    const demo = flags.demoBackends ? await startDemoBackends(logger, demoPort) : undefined;
    const defaultCertificate = flags.defaultCertificate
      ? defaultCertificateFlag(flags.defaultCertificate)
      : undefined;
    const tcpServices = flags.tcpServicesConfigmap
      ? configMapFlag('--tcp-services-configmap', flags.tcpServicesConfigmap)
      : undefined;
    const udpServices = flags.udpServicesConfigmap
      ? configMapFlag('--udp-services-configmap', flags.udpServicesConfigmap)
      : undefined;
    const manifestsOrCluster = await createSource(
      {
        ...(flags.manifests ? { manifests: flags.manifests } : {}),
        ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
        namespaces: flags.namespace,
        // Their data is what kxds reads of them (other ConfigMaps keep only ca.crt: object-slimming.ts).
        keepConfigMapData: [tcpServices, udpServices].filter((r): r is string => r !== undefined),
        secretReferences: secretInterest({
          ingressClass: flags.ingressClass,
          ...(defaultCertificate ? { defaultCertificate } : {}),
        }),
      },
      logger,
    );
    const source = demo ? withDemoBackendPort(manifestsOrCluster, demo.port) : manifestsOrCluster;
    const startCluster = prepareClusterMode(flags, source, logger);
    // Set once the webhook listens; until a certificate is loaded (--issue-certificates) kxds is not ready.
    const listening: { webhook?: Awaited<ReturnType<typeof startWebhookServer>> } = {};
    const app = await startApp({
      source,
      logger,
      xdsAddress: flags.xdsAddress,
      adminAddress: flags.adminAddress,
      ...(flags.metricsAddress ? { metricsAddress: flags.metricsAddress } : {}),
      debounceMs,
      maxWaitMs,
      maxNodeGroups,
      xdsLimits: limits,
      ...(tlsCredentials ? { xdsCredentials: tlsCredentials.credentials } : {}),
      ...(flags.xdsProxylessAddress ? { xdsProxylessAddress: flags.xdsProxylessAddress } : {}),
      xdsAccess,
      notReadyReason: () =>
        tlsCredentials && !tlsCredentials.provider.loaded
          ? 'the xDS TLS certificate is not loaded yet'
          : listening.webhook && !listening.webhook.hasCertificate()
            ? 'the webhook certificate is not loaded yet'
            : undefined,
      translateOptions: {
        ingressClass: flags.ingressClass,
        edgeHttpPort: positiveInt('--edge-http-port', flags.edgeHttpPort, 65535),
        edgeHttpsPort: positiveInt('--edge-https-port', flags.edgeHttpsPort, 65535),
        allowExternalName: flags.allowExternalName ?? false,
        // More hops than any real chain of proxies is a typo, not a deployment.
        edgeTrustedHops: positiveInt('--edge-trusted-hops', flags.edgeTrustedHops, 16),
        edgeProxyProtocol: flags.edgeProxyProtocol ?? false,
        connectTimeoutMs,
        ...(defaultCertificate ? { defaultCertificate } : {}),
        ...(tcpServices ? { tcpServicesConfigMap: tcpServices } : {}),
        ...(udpServices ? { udpServicesConfigMap: udpServices } : {}),
      },
    });
    const cluster = startCluster?.(app);
    const ca =
      workloadCa && tlsCredentials && manifestsOrCluster instanceof KubeSource
        ? await startWorkloadCa(workloadCa, {
            client: manifestsOrCluster.client,
            serving: tlsCredentials.provider,
            trustDomain: xdsAccess.trustDomain,
            logger,
          })
        : undefined;
    if (demo) {
      const clientXds = `127.0.0.1:${app.xdsPort}`;
      logger.info(
        { xds: clientXds, statusPage: `http://127.0.0.1:${app.adminPort}/ui` },
        app.xdsPort === 18000
          ? 'demo ready: in another terminal run `npm run demo:client -- 10`'
          : `demo ready: in another terminal run \`KXDS_XDS=${clientXds} npm run demo:client -- 10\``,
      );
    }
    const webhook = flags.webhook
      ? await startWebhookServer(
          webhookServerOptions(flags, {
            // Labels of a Namespace kxds knows; {} once synced for one it doesn't; undefined before sync.
            namespaceLabels: (namespace) =>
              app.pipeline.store.get('Namespace', undefined, namespace)?.metadata.labels ??
              (app.pipeline.readyNow ? {} : undefined),
            logger: logger.child({ component: 'webhook' }),
            waitForCertificateFiles: waitForFiles,
          }),
        )
      : undefined;
    listening.webhook = webhook;
    if (webhook)
      logger.info(
        { url: webhook.url, generatedCertificate: Boolean(webhook.caPem) },
        'sidecar injection webhook listening',
      );
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: no new streams, ending open ones');
      // Exit within 10 s whatever happens.
      setTimeout(() => process.exit(0), 9500).unref();
      // The leader releases its Lease first, so another replica takes over without waiting for it to expire.
      void Promise.resolve(cluster?.stop())
        .then(() => ca?.stop())
        .then(() => app.stop(8000))
        .then(() => webhook?.close())
        .then(() => demo?.stop())
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });
}

/** Says once at start who a plaintext xDS port serves what (src/server/authorize.ts decides per stream). */
function plaintextAccessNotice(logger: Logger, xdsAddress: string, insecureRoles: boolean): void {
  if (insecureRoles)
    logger.warn(
      { xds: xdsAddress },
      'xDS without TLS and --xds-insecure-roles: any peer that reaches the port may claim edge (every Ingress private key), sidecar, or read CSDS',
    );
  else
    logger.info(
      { xds: xdsAddress },
      'xDS without TLS: edge and sidecar roles and CSDS only for loopback peers; others are served as proxyless or refused (mutual TLS: --xds-tls-cert, --xds-tls-key, --xds-client-ca)',
    );
}

/**
 * Checks every address before anything listens (see ./listeners). In the demo (--demo-backends) a default
 * port that another program holds moves to a free one, so `make run` starts on a busy machine, and two demos
 * run side by side. Returns the port the demo backends are to use.
 */
async function resolveListeners(flags: ServeFlags, command: Command, logger: Logger): Promise<number> {
  const demo = flags.demoBackends === true;
  type AddressFlag =
    'xdsAddress' | 'adminAddress' | 'metricsAddress' | 'xdsProxylessAddress' | 'webhookAddress';
  const own = (key: AddressFlag, name: string, flag: string): [AddressFlag | undefined, PlannedListener] => [
    key,
    {
      name,
      address: flags[key] ?? '',
      flag,
      movable: demo && command.getOptionValueSource(key) === 'default',
    },
  ];
  const planned = [
    own('xdsAddress', 'xDS', '--xds-address'),
    own('adminAddress', 'admin HTTP', '--admin-address'),
  ];
  if (flags.metricsAddress) planned.push(own('metricsAddress', 'metrics HTTP', '--metrics-address'));
  if (flags.xdsProxylessAddress)
    planned.push(own('xdsProxylessAddress', 'proxyless xDS', '--xds-proxyless-address'));
  if (flags.webhook) planned.push(own('webhookAddress', 'sidecar webhook', '--webhook-address'));
  if (demo)
    for (const host of DEMO_BACKENDS) {
      const address = `${host}:${DEMO_BACKEND_PORT}`;
      planned.push([undefined, { name: 'demo backend', address, flag: '--demo-backends', movable: true }]);
    }
  const addresses = await checkListeners(
    planned.map(([, p]) => p),
    logger,
  );
  let demoPort = DEMO_BACKEND_PORT;
  planned.forEach(([key, p], i) => {
    const address = addresses[i] ?? p.address;
    if (address === p.address) return;
    if (key) flags[key] = address;
    else demoPort = 0; // both backends move together: one EndpointSlice port serves them
  });
  return demoPort;
}
