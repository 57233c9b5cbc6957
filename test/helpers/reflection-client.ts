// An independent gRPC reflection client (grpc.reflection.v1) for tests: it loads only reflection.proto,
// asks the server for descriptors, follows every dependency, and builds a protobufjs Root from what it got,
// the way grpcurl does. Nothing here uses kxds's own protos.
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';
import * as descriptor from 'protobufjs/ext/descriptor';

const reflectionProto = path.join(
  path.dirname(require.resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

interface DescriptorMessage {
  name: string;
  field?: { name: string; number: number; typeName?: string; type?: number }[];
  nestedType?: DescriptorMessage[];
  options?: { mapEntry?: boolean };
}

interface DescriptorFile {
  package?: string;
  messageType?: DescriptorMessage[];
}

const SCALAR_NAMES: Record<number, string> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};

/**
 * protobufjs' fromDescriptor keeps map fields as repeated "XEntry" messages (same wire format, different
 * object shape). Turn them back into map fields, as protoc-based clients see them.
 */
function restoreMapFields(root: protobuf.Root, files: DescriptorFile[]): void {
  const visit = (message: DescriptorMessage, scope: string): void => {
    const fullName = `${scope}.${message.name}`;
    const entries = new Map<string, DescriptorMessage>();
    for (const nested of message.nestedType ?? []) {
      if (nested.options?.mapEntry) entries.set(`${fullName}.${nested.name}`, nested);
      else visit(nested, fullName);
    }
    if (entries.size === 0) return;
    const type = root.lookupType(fullName);
    for (const f of message.field ?? []) {
      const entry = f.typeName ? entries.get(f.typeName) : undefined;
      if (!entry) continue;
      const [key, value] = [1, 2].map((n) => entry.field?.find((e) => e.number === n));
      const scalar = (e: typeof key) => (e?.typeName ? e.typeName : SCALAR_NAMES[e?.type ?? 0]);
      const old = type.fields[f.name];
      if (old) type.remove(old);
      type.add(new protobuf.MapField(f.name, f.number, scalar(key) ?? 'string', scalar(value) ?? 'bytes'));
    }
  };
  for (const file of files)
    for (const m of file.messageType ?? []) visit(m, file.package ? `.${file.package}` : '');
}

interface FileDescriptor {
  name: string;
  dependency?: string[];
}

export class ReflectionTestClient {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<object, Record<string, unknown>>;
  private readonly queue: { resolve(r: Record<string, unknown>): void; reject(err: Error): void }[] = [];
  /** Set when the stream failed (an UNIMPLEMENTED server, say); pending and later asks reject with it. */
  private error?: Error;
  /** Every file descriptor received, by file name, as raw bytes. */
  readonly files = new Map<string, Uint8Array>();

  constructor(address: string) {
    const root = new protobuf.Root().loadSync(reflectionProto, { keepCase: true });
    const req = root.lookupType('grpc.reflection.v1.ServerReflectionRequest');
    const res = root.lookupType('grpc.reflection.v1.ServerReflectionResponse');
    const Client = grpc.makeGenericClientConstructor(
      {
        ServerReflectionInfo: {
          path: '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
          requestStream: true,
          responseStream: true,
          requestSerialize: (v: object) => Buffer.from(req.encode(req.fromObject(v)).finish()),
          requestDeserialize: (b: Buffer) => b,
          responseSerialize: (v: unknown) => v as Buffer,
          responseDeserialize: (b: Buffer) => res.toObject(res.decode(b), { longs: Number, bytes: Buffer }),
        },
      },
      'reflection',
    );
    this.client = new Client(address, grpc.credentials.createInsecure());
    this.call = (
      this.client as unknown as {
        ServerReflectionInfo(): grpc.ClientDuplexStream<object, Record<string, unknown>>;
      }
    ).ServerReflectionInfo();
    this.call.on('data', (r: Record<string, unknown>) => this.queue.shift()?.resolve(r));
    this.call.on('error', (err) => {
      this.error = err;
      for (const waiter of this.queue.splice(0)) waiter.reject(err);
    });
  }

  /** Sends one request and waits for its response (the protocol answers in order). */
  ask(request: object, timeoutMs = 20000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      const timer = setTimeout(
        () => reject(new Error(`no reflection answer to ${JSON.stringify(request)}`)),
        timeoutMs,
      );
      this.queue.push({
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.call.write({ host: '', ...request });
    });
  }

  async listServices(): Promise<string[]> {
    const r = await this.ask({ list_services: '' });
    const list = r.list_services_response as { service?: { name: string }[] } | undefined;
    return (list?.service ?? []).map((s) => s.name);
  }

  /** Asks for a symbol's file; returns the file names received. Throws on an error response. */
  async fileContainingSymbol(symbol: string): Promise<string[]> {
    return this.takeFiles(await this.ask({ file_containing_symbol: symbol }));
  }

  async fileByFilename(name: string): Promise<string[]> {
    return this.takeFiles(await this.ask({ file_by_filename: name }));
  }

  /** Fetches, by name, every dependency not received yet until the set is closed. Returns files fetched. */
  async resolveDependencies(): Promise<string[]> {
    const fetched: string[] = [];
    for (;;) {
      const missing = this.missingDependencies();
      if (missing.length === 0) return fetched;
      for (const name of missing) {
        await this.fileByFilename(name);
        fetched.push(name);
      }
    }
  }

  missingDependencies(): string[] {
    const missing = new Set<string>();
    for (const bytes of this.files.values())
      for (const dep of this.decode(bytes).dependency ?? []) if (!this.files.has(dep)) missing.add(dep);
    return [...missing].sort();
  }

  dependenciesOf(file: string): string[] {
    const bytes = this.files.get(file);
    return bytes ? (this.decode(bytes).dependency ?? []) : [];
  }

  /** A protobufjs Root built only from the descriptors received. */
  buildRoot(): protobuf.Root {
    const set = descriptor.FileDescriptorSet.create({
      file: [...this.files.values()].map((b) => descriptor.FileDescriptorProto.decode(b)),
    });
    // protobufjs/ext/descriptor adds fromDescriptor at run time; its typings don't declare it.
    const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(s: object): protobuf.Root })
      .fromDescriptor;
    const root = fromDescriptor(set);
    restoreMapFields(root, (set as unknown as { file: DescriptorFile[] }).file);
    root.resolveAll();
    return root;
  }

  close(): void {
    this.call.end();
    this.client.close();
  }

  private decode(bytes: Uint8Array): FileDescriptor {
    return descriptor.FileDescriptorProto.toObject(
      descriptor.FileDescriptorProto.decode(bytes),
    ) as FileDescriptor;
  }

  private takeFiles(r: Record<string, unknown>): string[] {
    const err = r.error_response as { error_code: number; error_message: string } | undefined;
    if (err) throw new Error(`reflection error ${err.error_code}: ${err.error_message}`);
    const list = (r.file_descriptor_response as { file_descriptor_proto?: Uint8Array[] } | undefined)
      ?.file_descriptor_proto;
    const names: string[] = [];
    for (const bytes of list ?? []) {
      const name = this.decode(bytes).name;
      this.files.set(name, bytes);
      names.push(name);
    }
    return names;
  }
}
