// Byte-level redaction for CSDS: every key-material field is replaced wherever Envoy's API allows it (an SDS
// Secret, a TLS context inlined in a Listener's Any), the rest is kept, and the result is still a valid
// message of the same type. A resource without key material comes back as the very same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, pack } from '../../src/xds/encode';
import { REDACTED, redactKeyMaterial } from '../../src/xds/key-material';
import { validateMessage } from '../../src/xds/validate';

const SECRET = 'envoy.extensions.transport_sockets.tls.v3.Secret';
const LISTENER = 'envoy.config.listener.v3.Listener';
const KEY = '-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYBYTES\n-----END PRIVATE KEY-----\n';
const CHAIN = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const TICKET_KEY = Buffer.alloc(80, 7);

function redacted(typeName: string, value: object): { bytes: Buffer; decoded: Record<string, unknown> } {
  const bytes = Buffer.from(redactKeyMaterial(typeName, encodeMessage(typeName, value)));
  const decoded = decodeMessage(typeName, bytes);
  assert.deepEqual(validateMessage(typeName, decoded), { valid: true, warnings: [] }, 'still valid');
  return { bytes, decoded };
}

function assertNoSecret(bytes: Buffer): void {
  for (const needle of ['TOPSECRETKEYBYTES', 'PRIVATE KEY', 'hunter2', 'bearer-token'])
    assert.ok(!bytes.includes(needle), `"${needle}" is gone`);
  assert.ok(!bytes.includes(TICKET_KEY), 'the ticket key is gone');
}

test('an SDS Secret keeps its certificate chain and loses its private key and password', () => {
  const { bytes, decoded } = redacted(SECRET, {
    name: 'shop/tls',
    tls_certificate: {
      certificate_chain: { inline_bytes: Buffer.from(CHAIN) },
      private_key: { inline_bytes: Buffer.from(KEY) },
      password: { inline_string: 'hunter2' },
    },
  });
  assertNoSecret(bytes);
  assert.deepEqual(decoded, {
    name: 'shop/tls',
    tls_certificate: {
      certificate_chain: { inline_bytes: Buffer.from(CHAIN).toString('base64') },
      private_key: { inline_string: REDACTED },
      password: { inline_string: REDACTED },
    },
  });
});

test('session ticket keys and generic secrets are replaced too', () => {
  const tickets = redacted(SECRET, {
    name: 'tickets',
    session_ticket_keys: { keys: [{ inline_bytes: TICKET_KEY }, { inline_bytes: TICKET_KEY }] },
  });
  assertNoSecret(tickets.bytes);
  assert.deepEqual(tickets.decoded.session_ticket_keys, {
    keys: [{ inline_string: REDACTED }, { inline_string: REDACTED }],
  });
  const generic = redacted(SECRET, {
    name: 'token',
    generic_secret: { secret: { inline_string: 'bearer-token' } },
  });
  assertNoSecret(generic.bytes);
  assert.deepEqual(generic.decoded.generic_secret, { secret: { inline_string: REDACTED } });
});

test('a TLS context inlined in a Listener is redacted inside its Any, the rest of the Listener kept', () => {
  const listener = {
    name: 'https',
    address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
    filter_chains: [
      {
        transport_socket: {
          name: 'envoy.transport_sockets.tls',
          typed_config: pack('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
            common_tls_context: {
              tls_certificates: [
                {
                  certificate_chain: { inline_string: CHAIN },
                  private_key: { inline_string: KEY },
                  private_key_provider: {
                    provider_name: 'cryptomb',
                    typed_config: pack(SECRET, {
                      name: 'hidden',
                      generic_secret: { secret: { inline_string: 'bearer-token' } },
                    }),
                  },
                },
              ],
            },
            session_ticket_keys: { keys: [{ inline_bytes: TICKET_KEY }] },
          }),
        },
      },
    ],
  };
  const { bytes, decoded } = redacted(LISTENER, listener);
  assertNoSecret(bytes);
  const context = (
    decoded.filter_chains as { transport_socket: { typed_config: Record<string, unknown> } }[]
  )[0]?.transport_socket.typed_config;
  assert.deepEqual(context, {
    '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
    common_tls_context: {
      tls_certificates: [
        {
          certificate_chain: { inline_string: CHAIN },
          private_key: { inline_string: REDACTED },
          private_key_provider: { provider_name: REDACTED },
        },
      ],
    },
    session_ticket_keys: { keys: [{ inline_string: REDACTED }] },
  });
  assert.equal(decoded.name, 'https');
});

test('a message without key material comes back as the same bytes', () => {
  const bytes = encodeMessage(LISTENER, {
    name: 'plain',
    address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
  });
  assert.equal(redactKeyMaterial(LISTENER, bytes), bytes);
});

test("basic auth users in a route's per-filter config are redacted, the route kept", () => {
  const ROUTES = 'envoy.config.route.v3.RouteConfiguration';
  const { bytes, decoded } = redacted(ROUTES, {
    name: 'edge-http',
    virtual_hosts: [
      {
        name: 'shop',
        domains: ['shop.test'],
        routes: [
          {
            match: { prefix: '/' },
            route: { cluster: 'shop/web/80' },
            typed_per_filter_config: {
              'envoy.filters.http.basic_auth': pack(
                'envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute',
                {
                  users: { inline_string: 'alice:{SHA}hunter2hunter2hunter2hunter2=\n' },
                },
              ),
            },
          },
        ],
      },
    ],
  });
  assertNoSecret(bytes);
  const route = (decoded.virtual_hosts as { routes: Record<string, unknown>[] }[])[0]?.routes[0];
  assert.deepEqual(route?.typed_per_filter_config, {
    'envoy.filters.http.basic_auth': {
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute',
      users: { inline_string: REDACTED },
    },
  });
});
