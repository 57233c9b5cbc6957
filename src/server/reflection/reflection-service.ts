// gRPC server reflection (grpc.reflection.v1 and v1alpha ServerReflectionInfo) answered from DescriptorIndex:
// real per-file descriptors with their whole dependency closure, so grpcurl and buf curl can list, describe
// and call the xDS services and decode the Any resources inside responses.
import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import { DescriptorIndex } from './descriptor-index';

export const REFLECTION_PROTO_FILES = [
  'grpc/reflection/v1/reflection.proto',
  'grpc/reflection/v1alpha/reflection.proto',
] as const;

const REFLECTION_SERVICES = [
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
];

/** gRPC status codes used in ErrorResponse. */
const NOT_FOUND = 5;
const INVALID_ARGUMENT = 3;

export interface ReflectionRequest {
  host?: string;
  file_by_filename?: string;
  file_containing_symbol?: string;
  file_containing_extension?: { containing_type?: string; extension_number?: number };
  all_extension_numbers_of_type?: string;
  list_services?: string;
}

type ReflectionResponse = Record<string, unknown>;

export interface ReflectionOptions {
  /** Fully qualified names of the services on the port (reflection itself is added). */
  services: () => readonly string[];
  /** Proto files declaring those services and any message a client may meet inside an Any. */
  protoFiles: readonly string[];
}

/** Service name of a grpc-js definition, from its method paths ("/pkg.Service/Method"). */
export function serviceNameOf(definition: grpc.ServiceDefinition): string | undefined {
  const first = Object.values(definition)[0];
  return first ? first.path.split('/')[1] : undefined;
}

export class ReflectionService {
  private index?: DescriptorIndex;

  constructor(private readonly options: ReflectionOptions) {}

  /** Parses the protos now instead of on the first request (about two seconds for the Envoy tree). */
  warm(): DescriptorIndex {
    this.index ??= new DescriptorIndex([...this.options.protoFiles, ...REFLECTION_PROTO_FILES]);
    return this.index;
  }

  addToServer(server: grpc.Server): void {
    for (const version of ['v1', 'v1alpha']) {
      const pkg = `grpc.reflection.${version}`;
      const definition: grpc.ServiceDefinition = {
        ServerReflectionInfo: {
          path: `/${pkg}.ServerReflection/ServerReflectionInfo`,
          requestStream: true,
          responseStream: true,
          requestSerialize: (v: ReflectionRequest) => this.codec(pkg, 'ServerReflectionRequest').encode(v),
          requestDeserialize: (b: Buffer) =>
            this.codec(pkg, 'ServerReflectionRequest').decode(b) as ReflectionRequest,
          responseSerialize: (v: ReflectionResponse) => this.codec(pkg, 'ServerReflectionResponse').encode(v),
          responseDeserialize: (b: Buffer) => this.codec(pkg, 'ServerReflectionResponse').decode(b),
        },
      };
      server.addService(definition, {
        ServerReflectionInfo: (call: grpc.ServerDuplexStream<ReflectionRequest, ReflectionResponse>) => {
          call.on('data', (request: ReflectionRequest) => {
            let response: ReflectionResponse;
            try {
              response = this.answer(request);
            } catch (err) {
              response = error(request, 13, `reflection failed: ${(err as Error).message}`);
            }
            call.write(response);
          });
          call.on('end', () => call.end());
          call.on('error', () => undefined);
        },
      });
    }
  }

  /** One request -> one response, as the reflection protocol pairs them. */
  answer(request: ReflectionRequest): ReflectionResponse {
    const index = this.warm();
    const base = { valid_host: request.host ?? '', original_request: request };
    const files = (name: string | undefined, what: string): ReflectionResponse => {
      const closure = name ? index.closure(name) : undefined;
      if (!closure) return error(request, NOT_FOUND, `${what} not found`);
      return {
        ...base,
        file_descriptor_response: { file_descriptor_proto: closure.map((b) => Buffer.from(b)) },
      };
    };
    if (request.list_services !== undefined) {
      const names = [...new Set([...this.options.services(), ...REFLECTION_SERVICES])].sort();
      return { ...base, list_services_response: { service: names.map((name) => ({ name })) } };
    }
    if (request.file_by_filename !== undefined)
      return files(request.file_by_filename, `file "${request.file_by_filename}"`);
    if (request.file_containing_symbol !== undefined)
      return files(
        index.fileOfSymbol(request.file_containing_symbol),
        `symbol "${request.file_containing_symbol}"`,
      );
    if (request.file_containing_extension !== undefined) {
      const { containing_type = '', extension_number = 0 } = request.file_containing_extension;
      return files(
        index.fileOfExtension(containing_type, extension_number),
        `extension ${extension_number} of "${containing_type}"`,
      );
    }
    if (request.all_extension_numbers_of_type !== undefined) {
      const numbers = index.extensionNumbers(request.all_extension_numbers_of_type);
      if (!numbers)
        return error(request, NOT_FOUND, `type "${request.all_extension_numbers_of_type}" not found`);
      return {
        ...base,
        all_extension_numbers_response: {
          base_type_name: request.all_extension_numbers_of_type.replace(/^\./, ''),
          extension_number: numbers,
        },
      };
    }
    return error(request, INVALID_ARGUMENT, 'the request names no question');
  }

  private codec(pkg: string, message: string): { encode(v: object): Buffer; decode(b: Buffer): object } {
    const type: protobuf.Type = this.warm().root.lookupType(`${pkg}.${message}`);
    return {
      encode: (v) => Buffer.from(type.encode(type.fromObject(v)).finish()),
      decode: (b) => type.toObject(type.decode(b), { defaults: false, oneofs: false, longs: Number }),
    };
  }
}

function error(request: ReflectionRequest, code: number, message: string): ReflectionResponse {
  return {
    valid_host: request.host ?? '',
    original_request: request,
    error_response: { error_code: code, error_message: message },
  };
}
