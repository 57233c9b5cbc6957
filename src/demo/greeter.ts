// The demo greeter: server and client helpers shared by `kxds serve --demo-backends`, the example app and
// the end-to-end tests.
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const GREETER_PROTO = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'proto',
  'kxds',
  'demo',
  'greeter.proto',
);

export interface HelloReply {
  message: string;
  served_by: string;
}

export type GreeterClient = grpc.Client & {
  SayHello(
    request: { name: string },
    options: grpc.CallOptions,
    callback: (err: grpc.ServiceError | null, reply?: HelloReply) => void,
  ): grpc.ClientUnaryCall;
};

let loadedGreeter: grpc.ServiceClientConstructor | undefined;

/** The kxds.demo.Greeter client constructor; its `.service` is the definition a server implements. */
export function greeterService(): grpc.ServiceClientConstructor {
  if (!loadedGreeter) {
    const definition = protoLoader.loadSync(GREETER_PROTO, { keepCase: true, defaults: true });
    const pkg = grpc.loadPackageDefinition(definition) as unknown as {
      kxds: { demo: { Greeter: grpc.ServiceClientConstructor } };
    };
    loadedGreeter = pkg.kxds.demo.Greeter;
  }
  return loadedGreeter;
}

/**
 * Starts a greeter on HOST:PORT answering "Hello NAME" with served_by = `name`; `setup` adds more services
 * (health) before the port is bound.
 */
export async function startGreeter(
  address: string,
  name: string,
  setup?: (server: grpc.Server) => void,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  setup?.(server);
  server.addService(greeterService().service, {
    SayHello: (
      call: grpc.ServerUnaryCall<{ name: string }, HelloReply>,
      callback: grpc.sendUnaryData<HelloReply>,
    ) => callback(null, { message: `Hello ${call.request.name}`, served_by: name }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { server, port };
}

export function greeterClient(
  target: string,
  credentials = grpc.credentials.createInsecure(),
  options: grpc.ChannelOptions = {},
): GreeterClient {
  return new (greeterService())(target, credentials, options) as unknown as GreeterClient;
}

export function sayHello(client: GreeterClient, name: string, timeoutMs = 5000): Promise<HelloReply> {
  return new Promise((resolve, reject) =>
    client.SayHello({ name }, { deadline: Date.now() + timeoutMs }, (err, reply) =>
      err || !reply ? reject(err ?? new Error('empty reply')) : resolve(reply),
    ),
  );
}

/**
 * sayHello, retried while the channel is UNAVAILABLE: an xDS channel's first call can fail while its config
 * and connections are still arriving, even though the control plane is ready.
 */
export async function sayHelloWithRetry(
  client: GreeterClient,
  name: string,
  attempts = 20,
): Promise<HelloReply> {
  for (let i = 1; ; i++) {
    try {
      return await sayHello(client, name);
    } catch (err) {
      if (i >= attempts || (err as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
