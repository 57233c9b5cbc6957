// What the double implements of a RouteConfiguration (see support-fields.ts for why this list exists).
// Passed over knowingly: retries, hash policies (every cluster is round robin here), idle timeouts,
// validate_clusters, route names and metadata. Refused: typed_per_filter_config other than RBAC's, basic_auth's, header_mutation's and ext_authz's on a route
// (the double runs no other HTTP filter but the router), websocket upgrades, and every matcher or action field not listed.
import type { RouteConfiguration } from '../../src/xds/types';
import type { Route } from '../../src/generated/envoy/config/route/v3/Route';
import type { HeaderValueOption } from '../../src/generated/envoy/config/core/v3/HeaderValueOption';
import { SupportProblems } from './support-fields';
import { checkRbacPerRoute, RBAC_FILTER } from './rbac';
import { BASIC_AUTH_FILTER, checkBasicAuthPerRoute } from './basic-auth';
import { checkExtAuthzPerRoute, isExtAuthzName } from './ext-authz';
import { checkHeaderMutationPerRoute, HEADER_MUTATION_FILTER } from './header-mutation';

const HEADER_FIELDS = [
  'request_headers_to_add',
  'request_headers_to_remove',
  'response_headers_to_add',
  'response_headers_to_remove',
];

function headerOptions(
  options: readonly HeaderValueOption[] | undefined,
  path: string,
  check: SupportProblems,
): void {
  for (const [i, option] of (options ?? []).entries()) {
    check.fields(option, `${path}[${i}]`, ['header', 'append', 'append_action', 'keep_empty_value']);
    const value = option.header?.value ?? '';
    // Envoy expands %COMMAND% in header values; the double only takes literal values ("%%" is a literal %).
    if (value.replace(/%%/g, '').includes('%'))
      check.add(`${path}[${i}].header.value`, `does not expand header formatters (${value})`);
  }
}

function headerLevels(o: Record<string, unknown>, path: string, check: SupportProblems): void {
  headerOptions(
    o.request_headers_to_add as HeaderValueOption[] | undefined,
    `${path}.request_headers_to_add`,
    check,
  );
  headerOptions(
    o.response_headers_to_add as HeaderValueOption[] | undefined,
    `${path}.response_headers_to_add`,
    check,
  );
}

function perFilterConfig(
  config: Record<string, unknown> | undefined,
  path: string,
  check: SupportProblems,
  level: 'route' | 'other' = 'other',
): void {
  for (const [name, any] of Object.entries(config ?? {})) {
    const at = `${path}.typed_per_filter_config[${name}]`;
    if (name === RBAC_FILTER && level === 'route') checkRbacPerRoute(any, at, check);
    else if (name === BASIC_AUTH_FILTER && level === 'route') checkBasicAuthPerRoute(any, at, check);
    else if (isExtAuthzName(name) && level === 'route') checkExtAuthzPerRoute(any, at, check);
    else if (name === HEADER_MUTATION_FILTER && level === 'route')
      checkHeaderMutationPerRoute(any, at, check);
    else
      check.add(
        at,
        'runs no HTTP filter but the router, RBAC, basic_auth, header_mutation and ext_authz on routes and cannot interpret this per-route config',
      );
  }
}

function checkRoute(route: Route, path: string, check: SupportProblems): void {
  check.fields(
    route,
    path,
    ['name', 'match', 'route', 'redirect', 'direct_response', 'typed_per_filter_config', ...HEADER_FIELDS],
    ['metadata', 'decorator'],
  );
  headerLevels(route as Record<string, unknown>, path, check);
  perFilterConfig(route.typed_per_filter_config, path, check, 'route');
  const match = route.match ?? {};
  check.fields(match, `${path}.match`, [
    'prefix',
    'path',
    'path_separated_prefix',
    'safe_regex',
    'case_sensitive',
    'headers',
    'query_parameters',
    'grpc',
    'runtime_fraction',
  ]);
  for (const [i, header] of (match.headers ?? []).entries()) {
    check.fields(header, `${path}.match.headers[${i}]`, [
      'name',
      'string_match',
      'present_match',
      'invert_match',
      'exact_match',
      'prefix_match',
      'suffix_match',
      'contains_match',
      'safe_regex_match',
      'treat_missing_header_as_empty',
    ]);
  }
  const action = route.route;
  if (action) {
    check.fields(
      action,
      `${path}.route`,
      [
        'cluster',
        'weighted_clusters',
        'cluster_not_found_response_code',
        'prefix_rewrite',
        'regex_rewrite',
        'host_rewrite_literal',
        'auto_host_rewrite',
        'request_mirror_policies',
        'timeout',
        'max_stream_duration',
      ],
      ['retry_policy', 'hash_policy', 'idle_timeout'],
    );
    check.fields(action.max_stream_duration, `${path}.route.max_stream_duration`, [
      'grpc_timeout_header_max',
    ]);
    if (action.upgrade_configs?.some((u) => u.enabled?.value !== false))
      check.add(`${path}.route.upgrade_configs`, 'does not proxy upgrades (websockets)');
    for (const [i, weighted] of (action.weighted_clusters?.clusters ?? []).entries()) {
      const at = `${path}.route.weighted_clusters.clusters[${i}]`;
      check.fields(weighted, at, [
        'name',
        'weight',
        'host_rewrite_literal',
        'typed_per_filter_config',
        ...HEADER_FIELDS,
      ]);
      headerLevels(weighted as Record<string, unknown>, at, check);
      perFilterConfig(weighted.typed_per_filter_config, at, check);
    }
    for (const [i, mirror] of (action.request_mirror_policies ?? []).entries())
      check.fields(mirror, `${path}.route.request_mirror_policies[${i}]`, ['cluster', 'runtime_fraction']);
  }
  check.fields(route.redirect, `${path}.redirect`, [
    'https_redirect',
    'scheme_redirect',
    'host_redirect',
    'port_redirect',
    'path_redirect',
    'prefix_rewrite',
    'regex_rewrite',
    'response_code',
    'strip_query',
  ]);
  check.fields(route.direct_response?.body, `${path}.direct_response.body`, [
    'inline_string',
    'inline_bytes',
  ]);
}

export function checkRouteConfiguration(config: RouteConfiguration, check: SupportProblems): void {
  const at = `RouteConfiguration ${config.name}`;
  check.fields(
    config,
    at,
    [
      'name',
      'virtual_hosts',
      'ignore_port_in_host_matching',
      'most_specific_header_mutations_wins',
      'typed_per_filter_config',
      ...HEADER_FIELDS,
    ],
    ['validate_clusters'],
  );
  headerLevels(config as Record<string, unknown>, at, check);
  perFilterConfig(config.typed_per_filter_config, at, check);
  for (const vhost of config.virtual_hosts ?? []) {
    const vhostPath = `${at} virtual_hosts[${vhost.name}]`;
    check.fields(
      vhost,
      vhostPath,
      ['name', 'domains', 'routes', 'typed_per_filter_config', ...HEADER_FIELDS],
      ['retry_policy'],
    );
    headerLevels(vhost as Record<string, unknown>, vhostPath, check);
    perFilterConfig(vhost.typed_per_filter_config, vhostPath, check);
    for (const [i, route] of (vhost.routes ?? []).entries())
      checkRoute(route, `${vhostPath}.routes[${i}${route.name ? ` ${route.name}` : ''}]`, check);
  }
}
