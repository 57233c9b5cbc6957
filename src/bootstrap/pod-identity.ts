// Who a sidecar is: the pod fields the Kubernetes downward API hands the bootstrap init container as
// environment variables, plus the labels file of a downwardAPI volume. Envoy cannot read environment variables
// in its bootstrap, so `kxds bootstrap` reads them and writes a complete file.

export interface PodIdentity {
  name?: string;
  namespace?: string;
  ip?: string;
  serviceAccount?: string;
  labels?: Record<string, string>;
}

/** The environment variables the injected init container sets from the downward API. */
export const POD_ENV = {
  name: 'KXDS_POD_NAME',
  namespace: 'KXDS_POD_NAMESPACE',
  ip: 'KXDS_POD_IP',
  serviceAccount: 'KXDS_SERVICE_ACCOUNT',
} as const;

/**
 * Parses a downward API labels file: one `key="value"` per line, the value quoted like a Go string. Label
 * values are restricted to [A-Za-z0-9._-], so JSON string rules read them correctly.
 */
export function parseDownwardApiLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const quoted = line.slice(eq + 1);
    let value: unknown;
    try {
      value = eq > 0 ? JSON.parse(quoted) : undefined;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string') {
      throw new Error(`labels file line ${index + 1}: expected key="value", got ${JSON.stringify(line)}`);
    }
    labels[key] = value;
  });
  return labels;
}

/** Reads the pod identity from the environment; absent or empty variables stay undefined. */
export function podIdentityFromEnv(env: NodeJS.ProcessEnv, labels?: Record<string, string>): PodIdentity {
  const read = (key: string): string | undefined => (env[key] ? env[key] : undefined);
  return {
    name: read(POD_ENV.name),
    namespace: read(POD_ENV.namespace),
    ip: read(POD_ENV.ip),
    serviceAccount: read(POD_ENV.serviceAccount),
    labels,
  };
}
