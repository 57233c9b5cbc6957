// A proxyless gRPC client: grpc-js-xds asks kxds (on 127.0.0.1:18000) where greeter.demo:50051 lives and
// balances every call across its endpoints. Run: `make run` in one terminal, `npm run demo:client` in another.
process.env.GRPC_XDS_BOOTSTRAP_CONFIG ??= JSON.stringify({
  xds_servers: [
    { server_uri: process.env.KXDS_XDS ?? '127.0.0.1:18000', channel_creds: [{ type: 'insecure' }] },
  ],
  node: { id: `demo-client-${process.pid}`, locality: {}, metadata: { 'kxds.io/role': 'proxyless' } },
});
require('@grpc/grpc-js-xds').register();
const { greeterClient, sayHelloWithRetry } = require('../dist/src/demo/greeter.js');
const client = greeterClient('xds:///greeter.demo:50051');
(async () => {
  for (let i = 0; i < Number(process.argv[2] ?? 10); i++)
    console.log((await sayHelloWithRetry(client, `call ${i}`)).served_by);
  client.close();
})().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
