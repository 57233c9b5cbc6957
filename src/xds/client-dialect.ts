// Which gRPC xDS client implementation a node is, from its user_agent_name / user_agent_version: the part
// of a dialect (see src/translate/dialects/dialect.ts) that the server needs to pick a node's group.
// Only the versions verified here have their own dialect; any other gRPC client is "grpc" (conservative).

/** gRPC clients with a dialect of their own (grpc-js-xds 1.14+, gRPC C-core 1.51+). */
export type ProxylessDialect = 'grpc-js' | 'grpc-core';
export const PROXYLESS_DIALECTS: readonly ProxylessDialect[] = ['grpc-js', 'grpc-core'];

/** A proxyless client's dialect: one of its own, or "grpc" for every other gRPC client. */
export type GrpcDialect = ProxylessDialect | 'grpc';

/** The first "X.Y" in a version string as [X, Y]. */
function majorMinor(text: string): [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const atLeast = (v: [number, number] | undefined, major: number, minor: number): boolean =>
  v !== undefined && (v[0] > major || (v[0] === major && v[1] >= minor));

/**
 * grpc-js-xds sends "gRPC Node Pure JS" and its package version; C-core sends "gRPC C-core PLATFORM
 * WRAPPER" and "C-core CORE_VERSION WRAPPER VERSION", where core version N is gRPC 1.(N + 22) (29.0.0 is
 * 1.51, what Debian's python3-grpcio 1.51.1 sends).
 */
export function grpcDialect(userAgentName = '', userAgentVersion = ''): GrpcDialect {
  if (userAgentName === 'gRPC Node Pure JS') {
    return atLeast(majorMinor(userAgentVersion), 1, 14) ? 'grpc-js' : 'grpc';
  }
  if (userAgentName.startsWith('gRPC C-core')) {
    const core = /C-core (\d+)\./.exec(userAgentVersion);
    const grpcMinor = core ? Number(core[1]) + 22 : -1;
    return grpcMinor >= 51 ? 'grpc-core' : 'grpc';
  }
  return 'grpc';
}
