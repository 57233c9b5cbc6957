// Applies the access decision (authorize.ts) to a gRPC call: the peer's identity against the node a
// stream's first request names, one log line when refused (client-supplied text clipped), and the
// PERMISSION_DENIED error that ends the call. XdsServer.serve() is the only caller for ADS; CSDS uses
// permissionDenied too.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log';
import { authorizeNode, clip, STRICT_ACCESS, type AccessPolicy } from './authorize';
import { peerIdentity, type PeerIdentity } from './identity';
import { describeNode, type GroupOf, type XdsNode } from './node';

/** An error that ends a call with PERMISSION_DENIED and the reason as its details. */
export function permissionDenied(reason: string): grpc.ServiceError {
  return Object.assign(new Error(reason), {
    code: grpc.status.PERMISSION_DENIED,
    details: reason,
    metadata: new grpc.Metadata(),
  });
}

export interface StreamAccessOptions {
  groupOf: GroupOf;
  /** Default STRICT_ACCESS. */
  access?: AccessPolicy | undefined;
  logger: Logger;
  /** "ADS stream", "delta ADS stream": the log line's subject. */
  what: string;
}

/** The call's peer identity, and when it may not be served as the node, the error to end the call with (logged). */
export function streamAccess(
  call: Parameters<typeof peerIdentity>[0],
  node: XdsNode | undefined,
  options: StreamAccessOptions,
): { identity: PeerIdentity; refusal?: grpc.ServiceError } {
  const identity = peerIdentity(call);
  const claimed = describeNode(node, options.groupOf);
  const decision = authorizeNode(options.access ?? STRICT_ACCESS, identity, claimed);
  if (decision.allowed) return { identity };
  options.logger.warn(
    {
      peer: identity.peer,
      identity: identity.kind === 'certificate' ? identity.uris.map((uri) => clip(uri)) : 'plaintext',
      node: clip(claimed.id),
      role: claimed.role,
      ...(claimed.namespace ? { namespace: clip(claimed.namespace) } : {}),
      reason: decision.reason,
    },
    `${options.what} refused`,
  );
  return { identity, refusal: permissionDenied(decision.reason) };
}
