// Loads Envoy's v3 protos, once, from the pinned @grpc/grpc-js-xds package (its deps/ folder carries
// data-plane-api, xds, googleapis and protoc-gen-validate). google/protobuf/* come from protobufjs itself.
// kxds's own protos live in proto/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import protoFiles from './proto-files.json';

const xdsPackageDir = path.dirname(require.resolve('@grpc/grpc-js-xds/package.json'));
const depsDir = path.join(xdsPackageDir, 'deps');
const protobufjsDir = path.dirname(require.resolve('protobufjs/package.json'));

/** Folders searched for imports, in order. */
export const PROTO_INCLUDE_DIRS: readonly string[] = [
  path.join(depsDir, 'envoy-api'),
  path.join(depsDir, 'xds'),
  path.join(depsDir, 'googleapis'),
  path.join(depsDir, 'protoc-gen-validate'),
  path.join(path.dirname(require.resolve('grpc-health-check/package.json')), 'proto'),
  path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto'),
  path.resolve(__dirname, '..', '..', '..', 'proto'),
];

/** Every Envoy proto kxds emits or serves, plus gRPC health; the same list generates src/generated. */
export const ROOT_PROTO_FILES: readonly string[] = [...protoFiles.envoy, 'health/v1/health.proto'];

function resolveImport(origin: string, target: string): string | null {
  if (path.isAbsolute(target) && fs.existsSync(target)) return target;
  // protobufjs has the common well-known types built in; descriptor.proto & co. ship as files beside it.
  if (target.startsWith('google/protobuf/')) {
    const shipped = path.join(protobufjsDir, target);
    return fs.existsSync(shipped) ? shipped : target;
  }
  for (const dir of PROTO_INCLUDE_DIRS) {
    const candidate = path.join(dir, target);
    if (fs.existsSync(candidate)) return candidate;
  }
  const relative = path.resolve(path.dirname(origin), target);
  return fs.existsSync(relative) ? relative : target;
}

let cachedRoot: protobuf.Root | undefined;

/** The shared protobufjs Root with every Envoy type kxds uses, fields in snake_case as in the .proto files. */
export function envoyRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const root = new protobuf.Root();
  root.resolvePath = resolveImport;
  root.loadSync([...ROOT_PROTO_FILES], { keepCase: true, alternateCommentMode: false });
  root.resolveAll();
  cachedRoot = root;
  return root;
}

export function lookupType(fullName: string): protobuf.Type {
  return envoyRoot().lookupType(fullName.replace(/^\./, ''));
}

export const TYPE_URL_PREFIX = 'type.googleapis.com/';

export function typeUrlOf(fullName: string): string {
  return TYPE_URL_PREFIX + fullName;
}

export function typeNameOfUrl(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}
