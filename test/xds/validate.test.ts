import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, pack } from '../../src/xds/encode';
import { validateMessage } from '../../src/xds/validate';

const CLUSTER = 'envoy.config.cluster.v3.Cluster';
const CLA = 'envoy.config.endpoint.v3.ClusterLoadAssignment';
const ROUTES = 'envoy.config.route.v3.RouteConfiguration';
const LISTENER = 'envoy.config.listener.v3.Listener';
const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

function errorsOf(typeName: string, value: object): string[] {
  const result = validateMessage(typeName, value);
  return result.valid ? [] : result.errors;
}

const edsCluster = {
  name: 'demo/greeter/grpc',
  type: 'EDS',
  eds_cluster_config: {
    service_name: 'demo/greeter/grpc',
    eds_config: { ads: {}, resource_api_version: 'V3' },
  },
  connect_timeout: { seconds: 5 },
  lb_policy: 'ROUND_ROBIN',
} as const;

const routeTo = (cluster: string) => ({ match: { prefix: '/' }, route: { cluster } });

test('a realistic EDS cluster is valid, with no warnings', () => {
  assert.deepEqual(validateMessage(CLUSTER, edsCluster), { valid: true, warnings: [] });
});

test('string min_len: a Cluster with an empty or missing name', () => {
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, name: '' }), ['name: min_len 1, got 0']);
  // proto3: an absent string is the empty string, and PGV checks it.
  const { name: _name, ...nameless } = edsCluster;
  assert.deepEqual(errorsOf(CLUSTER, nameless), ['name: min_len 1, got 0']);
});

test('wrapper rules apply to the wrapped value: load_balancing_weight {value: 0} breaks gte 1', () => {
  const cla = (weight: number) => ({
    cluster_name: 'c',
    endpoints: [{ load_balancing_weight: { value: weight }, lb_endpoints: [] }],
  });
  assert.deepEqual(errorsOf(CLA, cla(0)), ['endpoints[0].load_balancing_weight: gte 1, got 0']);
  assert.deepEqual(errorsOf(CLA, cla(1)), []);
  // An empty wrapper holds the default 0.
  assert.deepEqual(errorsOf(CLA, { cluster_name: 'c', endpoints: [{ load_balancing_weight: {} }] }), [
    'endpoints[0].load_balancing_weight: gte 1, got 0',
  ]);
});

test('repeated min_items: a virtual host without domains', () => {
  const routes = {
    name: 'r',
    virtual_hosts: [{ name: 'v', domains: [] as string[], routes: [routeTo('c')] }],
  };
  assert.deepEqual(errorsOf(ROUTES, routes), ['virtual_hosts[0].domains: min_items 1, got 0']);
  const { domains: _domains, ...withoutDomains } = routes.virtual_hosts[0]!;
  assert.deepEqual(errorsOf(ROUTES, { name: 'r', virtual_hosts: [withoutDomains] }), [
    'virtual_hosts[0].domains: min_items 1, got 0',
  ]);
});

test('oneof required: a route without an action', () => {
  const routes = {
    name: 'r',
    virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/' } }] }],
  };
  const errors = errorsOf(ROUTES, routes);
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]!,
    /^virtual_hosts\[0\]\.routes\[0\]\.action: oneof required, none set \(one of route, redirect/,
  );
});

test('two members of one oneof set is an error naming both', () => {
  const route = { ...routeTo('c'), redirect: { path_redirect: '/x' } };
  assert.deepEqual(
    errorsOf(ROUTES, { name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [route] }] }),
    ['virtual_hosts[0].routes[0].action: more than one member of the oneof set: route, redirect'],
  );
});

test('message required, and oneof members are checked only when set', () => {
  const healthCheck = {
    timeout: { seconds: 1 },
    interval: { seconds: 5 },
    unhealthy_threshold: { value: 2 },
  };
  assert.deepEqual(
    errorsOf(CLUSTER, { ...edsCluster, health_checks: [{ ...healthCheck, tcp_health_check: {} }] }),
    ['health_checks[0].healthy_threshold: required, but not set'],
  );
  // RouteMatch.safe_regex is required *when chosen*; a prefix match does not need it.
  assert.deepEqual(
    errorsOf(ROUTES, { name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [routeTo('c')] }] }),
    [],
  );
});

test('well_known_regex HTTP_HEADER_NAME honours strict', () => {
  const withHeader = (name: string) => ({
    name: 'r',
    virtual_hosts: [
      {
        name: 'v',
        domains: ['*'],
        routes: [
          { match: { prefix: '/', headers: [{ name, present_match: true }] }, route: { cluster: 'c' } },
        ],
      },
    ],
  });
  // HeaderMatcher.name is `strict: false`: only NUL, CR and LF are refused.
  assert.deepEqual(errorsOf(ROUTES, withHeader('x-trace id')), []);
  assert.deepEqual(errorsOf(ROUTES, withHeader('x-trace\nid')), [
    'virtual_hosts[0].routes[0].match.headers[0].name: well_known_regex HTTP_HEADER_NAME (strict: false), got "x-trace\\nid"',
  ]);
  // UpstreamHttpProtocolOptions.override_auto_sni_header is strict (the default) and ignore_empty.
  const sni = (header: string) =>
    errorsOf(CLUSTER, {
      ...edsCluster,
      upstream_http_protocol_options: { override_auto_sni_header: header },
    });
  assert.deepEqual(sni(''), []);
  assert.deepEqual(sni(':authority'), []);
  assert.deepEqual(sni('x-trace id'), [
    'upstream_http_protocol_options.override_auto_sni_header: well_known_regex HTTP_HEADER_NAME, got "x-trace id"',
  ]);
});

const hcmWithVirtualHosts = (virtualHosts: object[]) =>
  pack(HCM, {
    stat_prefix: 'http',
    route_config: { name: 'r', virtual_hosts: virtualHosts },
    http_filters: [
      { name: 'router', typed_config: pack('envoy.extensions.filters.http.router.v3.Router', {}) },
    ],
  });

const listenerWith = (typedConfig: object) => ({
  name: 'http',
  address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
  filter_chains: [
    { filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: typedConfig }] },
  ],
});

test('errors inside an Any name the path through it', () => {
  const good = { name: 'a', domains: ['*'], routes: [routeTo('c')] };
  const listener = listenerWith(hcmWithVirtualHosts([good, { name: 'b', domains: [], routes: [] }]));
  assert.deepEqual(errorsOf(LISTENER, listener), [
    'filter_chains[0].filters[0].typed_config(HttpConnectionManager).route_config.virtual_hosts[1].domains: min_items 1, got 0',
  ]);
  assert.deepEqual(errorsOf(LISTENER, listenerWith(hcmWithVirtualHosts([good]))), []);
});

test('the decoded form (Anys as {"@type", ...}) validates the same way', () => {
  const bad = listenerWith(hcmWithVirtualHosts([{ name: 'b', domains: [] }]));
  const decoded = decodeMessage(LISTENER, encodeMessage(LISTENER, bad));
  assert.deepEqual(errorsOf(LISTENER, decoded), [
    'filter_chains[0].filters[0].typed_config(HttpConnectionManager).route_config.virtual_hosts[0].domains: min_items 1, got 0',
  ]);
});

test('an Any of a type Envoy does not know is an error', () => {
  const listener = listenerWith({
    type_url: 'type.googleapis.com/kxds.nowhere.Filter',
    value: Buffer.alloc(0),
  });
  assert.deepEqual(errorsOf(LISTENER, listener), [
    'filter_chains[0].filters[0].typed_config: unknown Any type "type.googleapis.com/kxds.nowhere.Filter" (Envoy would reject it)',
  ]);
});

test('Any required: a TypedExtensionConfig without typed_config', () => {
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, typed_dns_resolver_config: { name: 'dns' } }), [
    'typed_dns_resolver_config.typed_config: required, but not set',
  ]);
});

test('enums: unknown names, undefined numbers and defined_only', () => {
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, lb_policy: 'ROUND_ROBINN' }), [
    'lb_policy: "ROUND_ROBINN" is not a value of envoy.config.cluster.v3.Cluster.LbPolicy',
  ]);
  // 4 was LbPolicy.ORIGINAL_DST_LB, removed: undefined, and lb_policy is defined_only.
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, lb_policy: 4 }), [
    'lb_policy: 4 is not a defined value of envoy.config.cluster.v3.Cluster.LbPolicy',
    'lb_policy: defined_only, got 4',
  ]);
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, lb_policy: 2 }), []);
});

test('enum not_in: a CONNECT health check', () => {
  const healthCheck = (method: string) => ({
    timeout: { seconds: 1 },
    interval: { seconds: 5 },
    unhealthy_threshold: { value: 2 },
    healthy_threshold: { value: 1 },
    http_health_check: { path: '/healthz', method },
  });
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, health_checks: [healthCheck('GET')] }), []);
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, health_checks: [healthCheck('CONNECT')] }), [
    'health_checks[0].http_health_check.method: not_in [CONNECT], got CONNECT',
  ]);
});

test('Durations: gt 0, gte 0, Envoy refusing negatives, and an exclusive range', () => {
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, connect_timeout: { seconds: 0 } }), [
    'connect_timeout: gt 0s, got 0s',
  ]);
  assert.deepEqual(
    errorsOf('envoy.config.core.v3.HttpUri', { uri: 'http://a/', cluster: 'c', timeout: { seconds: 0 } }),
    [],
  );
  assert.deepEqual(
    errorsOf('envoy.config.core.v3.HttpUri', {
      uri: 'http://a/',
      cluster: 'c',
      timeout: { seconds: -1, nanos: 0 },
    }),
    ['timeout: Envoy refuses negative durations, got -1s', 'timeout: gte 0s, got -1s'],
  );
  assert.deepEqual(errorsOf('envoy.config.core.v3.HttpUri', { uri: 'http://a/', cluster: 'c' }), [
    'timeout: required, but not set',
  ]);
  // QuicKeepAliveSettings.max_interval: lte 0 and gte 1s, i.e. 0 or at least a second.
  const keepAlive = (nanos: number, seconds = 0) =>
    errorsOf('envoy.config.core.v3.QuicKeepAliveSettings', { max_interval: { seconds, nanos } });
  assert.deepEqual(keepAlive(0), []);
  assert.deepEqual(keepAlive(0, 2), []);
  assert.deepEqual(keepAlive(500_000_000), ['max_interval: gte 1s or lte 0s (exclusive range), got 0.5s']);
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, connect_timeout: { seconds: 1, nanos: 1e9 } }), [
    'connect_timeout: duration out of range, got {"seconds":1,"nanos":1000000000}',
  ]);
  // Seconds and nanos of opposite signs: protobuf calls it invalid, Envoy refuses negative parts.
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, connect_timeout: { seconds: 1, nanos: -1 } }), [
    'connect_timeout: Envoy refuses negative durations, got 0.999999999s',
  ]);
});

test('numbers: double range, 64-bit wrapper given as a string, plain int64 default', () => {
  assert.deepEqual(
    errorsOf(CLUSTER, { ...edsCluster, common_lb_config: { healthy_panic_threshold: { value: 101 } } }),
    ['common_lb_config.healthy_panic_threshold.value: lte 100, got 101'],
  );
  assert.deepEqual(
    errorsOf(CLUSTER, {
      ...edsCluster,
      lb_policy: 'RING_HASH',
      ring_hash_lb_config: { maximum_ring_size: { value: '9000000' } },
    }),
    ['ring_hash_lb_config.maximum_ring_size: lte 8388608, got 9000000'],
  );
  const downstream =
    'envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig';
  assert.deepEqual(errorsOf(downstream, {}), ['max_active_downstream_connections: gt 0, got 0']);
  assert.deepEqual(errorsOf(downstream, { max_active_downstream_connections: '9007199254740993' }), []);
  assert.deepEqual(
    errorsOf('envoy.config.core.v3.UdpSocketConfig', { max_rx_datagram_size: { value: 65536 } }),
    ['max_rx_datagram_size: lt 65536, got 65536'],
  );
});

test('string pattern (RE2 as a JS regex) and string in', () => {
  const match = (prefix: string) =>
    errorsOf(ROUTES, {
      name: 'r',
      virtual_hosts: [
        {
          name: 'v',
          domains: ['*'],
          routes: [{ match: { path_separated_prefix: prefix }, route: { cluster: 'c' } }],
        },
      ],
    });
  assert.deepEqual(match('/api'), []);
  assert.deepEqual(match('/api/'), [
    'virtual_hosts[0].routes[0].match.path_separated_prefix: pattern "^[^?#]+[^?#/]$", got "/api/"',
  ]);
  const hcm = (scheme: string) =>
    errorsOf(HCM, {
      stat_prefix: 's',
      rds: { route_config_name: 'r', config_source: { ads: {} } },
      scheme_header_transformation: { scheme_to_overwrite: scheme },
    });
  assert.deepEqual(hcm('https'), []);
  assert.deepEqual(hcm('ftp'), [
    'scheme_header_transformation.scheme_to_overwrite: in ["http", "https"], got "ftp"',
  ]);
});

test('bool const, repeated max_items, unique and items, map keys, bytes max_len', () => {
  assert.deepEqual(
    errorsOf(LISTENER, {
      name: 'l',
      listener_filters: [{ name: 'tls', filter_disabled: { any_match: false } }],
    }),
    ['listener_filters[0].filter_disabled.any_match: const true, got false'],
  );
  const tcpProxy = 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
  assert.deepEqual(
    errorsOf(tcpProxy, {
      stat_prefix: 't',
      cluster: 'c',
      hash_policy: [{ source_ip: {} }, { source_ip: {} }],
    }),
    ['hash_policy: max_items 1, got 2'],
  );
  const redirect = (headers: string[]) =>
    errorsOf(ROUTES, {
      name: 'r',
      virtual_hosts: [
        {
          name: 'v',
          domains: ['*'],
          routes: [
            {
              match: { prefix: '/' },
              route: { cluster: 'c', internal_redirect_policy: { response_headers_to_copy: headers } },
            },
          ],
        },
      ],
    });
  const at = 'virtual_hosts[0].routes[0].route.internal_redirect_policy.response_headers_to_copy';
  assert.deepEqual(redirect(['a', 'b']), []);
  assert.deepEqual(redirect(['a', 'a']), [`${at}[1]: unique, "a" repeats an earlier item`]);
  assert.deepEqual(redirect(['a\r']), [
    `${at}[0]: well_known_regex HTTP_HEADER_NAME (strict: false), got "a\\r"`,
  ]);
  assert.deepEqual(
    errorsOf(CLUSTER, { ...edsCluster, metadata: { filter_metadata: { '': { fields: {} } } } }),
    ['metadata.filter_metadata[]: min_len 1, got 0'],
  );
  const header = (bytes: number) =>
    errorsOf('envoy.config.core.v3.HeaderValue', { key: 'x-blob', raw_value: Buffer.alloc(bytes, 0x61) });
  assert.deepEqual(header(16384), []);
  assert.deepEqual(header(16385), ['raw_value: max_len 16384, got 16385']);
});

test('unknown fields and wrong JS types are errors', () => {
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, conect_timeout: { seconds: 1 } }), [
    'conect_timeout: unknown field of envoy.config.cluster.v3.Cluster',
  ]);
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, respect_dns_ttl: 'false' }), [
    'respect_dns_ttl: expected a boolean, got string "false"',
  ]);
  assert.deepEqual(
    errorsOf(CLA, {
      cluster_name: 'c',
      endpoints: [
        {
          lb_endpoints: [
            { endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: -1 } } } },
          ],
        },
      ],
    }),
    [
      'endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value: -1 is out of range for uint32',
    ],
  );
  assert.deepEqual(errorsOf(CLUSTER, { ...edsCluster, dns_resolvers: 'x' }), [
    'dns_resolvers: expected a list, got "x"',
  ]);
  assert.deepEqual(errorsOf('envoy.nowhere.Thing', {}), [
    '<root>: unknown message type "envoy.nowhere.Thing"',
  ]);
});

test('deprecated fields come back as warnings, not errors', () => {
  const routes = {
    name: 'r',
    virtual_hosts: [
      {
        name: 'v',
        domains: ['*'],
        routes: [
          { match: { prefix: '/', headers: [{ name: 'x', exact_match: 'y' }] }, route: { cluster: 'c' } },
        ],
      },
    ],
  };
  assert.deepEqual(validateMessage(ROUTES, routes), {
    valid: true,
    warnings: ['virtual_hosts[0].routes[0].match.headers[0].exact_match: deprecated field'],
  });
  // A deprecated proto3 scalar at its default is not on the wire: nothing to warn about.
  assert.deepEqual(validateMessage(CLUSTER, { ...edsCluster, respect_dns_ttl: false }), {
    valid: true,
    warnings: [],
  });
});

test('a type URL works as the type name', () => {
  assert.deepEqual(errorsOf(`type.googleapis.com/${CLUSTER}`, { ...edsCluster, name: '' }), [
    'name: min_len 1, got 0',
  ]);
});

test('deprecated fields and enum values that Envoy disallows by default are errors', () => {
  const apiConfig = 'envoy.config.core.v3.ApiConfigSource';
  assert.deepEqual(errorsOf(apiConfig, { api_type: 'GRPC', transport_api_version: 'V3' }), []);
  // The default api_type is the disallowed value, so leaving it out is refused as well.
  assert.deepEqual(errorsOf(apiConfig, { transport_api_version: 'V3' }), [
    'api_type: deprecated value DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE, disallowed by default in Envoy',
  ]);
  const rateLimited = {
    name: 'r',
    virtual_hosts: [
      {
        name: 'v',
        domains: ['*'],
        rate_limits: [
          {
            actions: [
              { dynamic_metadata: { descriptor_key: 'k', metadata_key: { key: 'm', path: [{ key: 'p' }] } } },
            ],
          },
        ],
      },
    ],
  };
  assert.deepEqual(errorsOf(ROUTES, rateLimited), [
    'virtual_hosts[0].rate_limits[0].actions[0].dynamic_metadata: deprecated field, disallowed by default in Envoy',
  ]);
});

test('a RegexMatcher Envoy could not compile with RE2 is an error; RE2-only syntax is not', () => {
  const withRegex = (regex: string) => ({
    name: 'r',
    virtual_hosts: [
      { name: 'v', domains: ['*'], routes: [{ match: { safe_regex: { regex } }, route: { cluster: 'c' } }] },
    ],
  });
  assert.deepEqual(errorsOf(ROUTES, withRegex('/(?i)a(?P<n>b)')), []);
  assert.deepEqual(errorsOf(ROUTES, withRegex('/a\\Z')), [
    'virtual_hosts[0].routes[0].match.safe_regex.regex: "/a\\\\Z" is not valid RE2 (invalid escape sequence: `\\Z`)',
  ]);
  const [tooBig] = errorsOf(ROUTES, withRegex('/a{120}'));
  assert.match(tooBig ?? '', /program of size 123, over Envoy's limit of 100$/);
});
