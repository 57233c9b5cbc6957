// Gateway API L4 routes end to end through the Envoy double: TLSRoute, TCPRoute and UDPRoute objects -> the
// whole front-end (translateGateways) -> the Envoy back-end -> an in-process xDS server -> the double, which
// binds the Envoy listener ports on loopback, with real echo servers behind. TLS passed through reaches a TLS
// backend undecrypted (the client verifies the backend's own certificate); TLS terminated at a listener of
// the same port (both modes on one port) is verified against the Gateway's certificate and reaches a plain
// TCP echo; TCP is relayed whole; UDP
// sessions are split between weighted backends in proportion (one cluster with weighted endpoints).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { groupResources } from '../../src/envoy/group';
import { translateGateways } from '../../src/frontends/gateway/index';
import type { WatchedObject } from '../../src/model/k8s';
import { modelFrom } from '../../src/model/store';
import { TranslationMemos } from '../../src/translate/translation-memos';
import { startEnvoyDouble, type EnvoyDouble } from '../envoy-double';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { startStaticXds } from '../envoy-double/static-xds';
import { OPTIONS } from '../frontends/gateway/fake-rules';
import { gateway, kxdsClass } from '../frontends/gateway/objects';
import { httpsGet } from '../helpers/edge-double-fixture';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { startTcpEcho, startUdpEcho, tcpExchange, tlsExchange, udpExchange } from '../helpers/l4-echo';

const GW = 'gateway.networking.k8s.io/v1';
const PASS_HOST = 'vault.example.com';
const TERM_HOST = 'db.example.com';

function l4Route(kind: string, name: string, spec: Record<string, unknown>): WatchedObject {
  return {
    apiVersion: GW,
    kind,
    metadata: { namespace: 'infra', name, generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { parentRefs: [{ name: 'web' }], ...spec },
  } as WatchedObject;
}

/** Service infra/NAME port `port` (protocol) whose endpoints are loopback ports (one slice each). */
function l4Backend(name: string, port: number, protocol: 'TCP' | 'UDP', targets: number[]): WatchedObject[] {
  return [
    service('infra', name, [{ name: 'p', port, protocol }]),
    ...targets.map((target, i) =>
      endpointSlice('infra', name, `${name}-${i}`, [{ name: 'p', port: target }], [{ ip: '127.0.0.1' }]),
    ),
  ];
}

async function serveGateway(t: TestContext, objects: WatchedObject[]): Promise<EnvoyDouble> {
  const result = translateGateways(modelFrom(objects), { ...OPTIONS, address: '127.0.0.1' }, []);
  const served = result.gateways[0];
  if (!served) throw new Error(`no Gateway served: ${JSON.stringify(result.statuses)}`);
  const resources = groupResources(served.ir, new TranslationMemos().groupMemos());
  const xds = await startStaticXds(t);
  xds.publish((set) => {
    for (const kind of ['listener', 'route', 'cluster', 'endpoint', 'secret'] as const)
      for (const [name, value] of resources[kind]) set[kind].set(name, value as never);
  });
  const envoy = await startEnvoyDouble({ xdsAddress: xds.address });
  t.after(() => envoy.close());
  await envoy.ready();
  return envoy;
}

test(
  'TLSRoute passthrough and terminate, TCPRoute and weighted UDPRoute through the double',
  { timeout: 60_000 },
  async (t) => {
    const backendCa = await createCertificateAuthority('vault CA', 1);
    const vaultLeaf = await issueCertificate(backendCa, {
      commonName: PASS_HOST,
      hosts: [PASS_HOST],
      usage: 'server',
      validDays: 1,
    });
    const gatewayCa = await createCertificateAuthority('gateway CA', 1);
    const gatewayLeaf = await issueCertificate(gatewayCa, {
      commonName: TERM_HOST,
      hosts: [TERM_HOST],
      usage: 'server',
      validDays: 1,
    });
    const vault = await startEchoBackend('vault', {
      tls: { cert: vaultLeaf.certPem, key: vaultLeaf.keyPem },
    });
    const [db, pg] = [await startTcpEcho('db'), await startTcpEcho('pg')];
    const [dnsA, dnsB1, dnsB2] = [await startUdpEcho('a'), await startUdpEcho('b'), await startUdpEcho('b')];
    t.after(() => Promise.all([vault, db, pg, dnsA, dnsB1, dnsB2].map((s) => s.close())));
    const secret: WatchedObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'infra', name: 'db-tls' },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': Buffer.from(gatewayLeaf.certPem).toString('base64'),
        'tls.key': Buffer.from(gatewayLeaf.keyPem).toString('base64'),
      },
    } as WatchedObject;
    const envoy = await serveGateway(t, [
      kxdsClass(),
      secret,
      gateway([
        { name: 'pass', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
        // Terminate beside Passthrough on one port (TLSRouteModeMixed): one Envoy listener, chains by SNI.
        {
          name: 'term',
          port: 8443,
          protocol: 'TLS',
          hostname: TERM_HOST,
          tls: { mode: 'Terminate', certificateRefs: [{ name: 'db-tls' }] },
        },
        { name: 'pg', port: 5432, protocol: 'TCP' },
        { name: 'gone', port: 5433, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ]),
      l4Route('TLSRoute', 'vault', {
        parentRefs: [{ name: 'web', sectionName: 'pass' }],
        hostnames: [PASS_HOST],
        rules: [{ backendRefs: [{ name: 'vault', port: 443 }] }],
      }),
      l4Route('TLSRoute', 'db', {
        parentRefs: [{ name: 'web', sectionName: 'term' }],
        hostnames: [TERM_HOST],
        rules: [{ backendRefs: [{ name: 'db', port: 7000 }] }],
      }),
      l4Route('TCPRoute', 'pg', {
        parentRefs: [{ name: 'web', sectionName: 'pg' }],
        rules: [{ backendRefs: [{ name: 'pg', port: 5432 }] }],
      }),
      l4Route('TCPRoute', 'gone', {
        parentRefs: [{ name: 'web', sectionName: 'gone' }],
        rules: [{ backendRefs: [{ name: 'missing', port: 5432 }] }],
      }),
      l4Route('UDPRoute', 'dns', {
        rules: [
          {
            backendRefs: [
              { name: 'dns-a', port: 53 },
              { name: 'dns-b', port: 53 },
            ],
          },
        ],
      }),
      ...l4Backend('vault', 443, 'TCP', [vault.port]),
      ...l4Backend('db', 7000, 'TCP', [db.port]),
      ...l4Backend('pg', 5432, 'TCP', [pg.port]),
      ...l4Backend('dns-a', 53, 'UDP', [dnsA.port]),
      ...l4Backend('dns-b', 53, 'UDP', [dnsB1.port, dnsB2.port]),
    ]);

    const passed = await httpsGet(envoy.port(8443), PASS_HOST, PASS_HOST, '/x', backendCa.certPem);
    assert.equal(passed.status, 200, passed.body);
    const echoed = JSON.parse(passed.body) as EchoedRequest;
    assert.deepEqual(
      [echoed.backend, echoed.serverName],
      ['vault', PASS_HOST],
      'TLS reached the backend whole',
    );

    assert.equal(await tlsExchange(envoy.port(8443), TERM_HOST, gatewayCa.certPem, 'hi'), 'db:hi');
    await assert.rejects(
      tlsExchange(envoy.port(8443), TERM_HOST, backendCa.certPem, 'hi'),
      /certificate/,
      "the Gateway's certificate, not the backend's, terminates",
    );

    await assert.rejects(
      tlsExchange(envoy.port(8443), 'other.example.com', backendCa.certPem, 'hi'),
      'an SNI no route holds is closed',
    );

    assert.equal(await tcpExchange(envoy.port(5432), 'select 1'), 'pg:select 1');
    await assert.rejects(tcpExchange(envoy.port(5433), 'x'), /closed/, 'a missing backend refuses');

    // Port 53 is below 1024: Envoy binds 10053. dns-a (1 endpoint) and dns-b (2) weigh 1:1, so each
    // endpoint of dns-b takes half of dns-b's sessions: over 4 sessions a gets 2, each b endpoint 1.
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push(await udpExchange(envoy.udpPort(10053), `q${i}`));
    assert.deepEqual(answers.map((a) => a.split(':')[0]).sort(), ['a', 'a', 'b', 'b'], answers.join(', '));
    assert.deepEqual([dnsA.seen(), dnsB1.seen(), dnsB2.seen()], [2, 1, 1]);
  },
);
