// A rule's filters -> what they ask of its routes. HTTPRoute: RequestHeaderModifier, ResponseHeaderModifier,
// RequestRedirect, URLRewrite, RequestMirror (several), CORS, ExtensionRef; GRPCRoute: the header modifiers,
// RequestMirror and ExtensionRef. kxds serves no ExtensionRef kind: requests through such a filter get a 500
// (the spec forbids skipping it) and the route ResolvedRefs False/InvalidKind. RequestRedirect with URLRewrite,
// or any unknown filter type, makes the rule invalid (it is dropped).
import type { IrCors } from '../../../ir/http-filters';
import type { IrHeaderModifier, IrPathRewrite, IrRedirect } from '../../../ir/http';
import type { RouteParentContext } from '../contract';
import type { RouteReason } from './conditions';
import { corsSettings } from './cors';
import { headerModifier, headerModifierProblem } from './headers';
import { pathModifier, redirect } from './redirect';
import type { BackendObjectReference, GRPCRouteFilter, HTTPRouteFilter } from './spec';

export interface MirrorRequest {
  backendRef: BackendObjectReference;
  fraction?: { numerator: number; denominator: number };
}

export interface RuleFilters {
  requestHeaders?: IrHeaderModifier;
  responseHeaders?: IrHeaderModifier;
  redirect?: IrRedirect;
  rewrite?: IrPathRewrite;
  hostRewrite?: string;
  mirrors: MirrorRequest[];
  cors?: IrCors;
  /** ExtensionRef filters, named for the condition; any one makes the rule answer 500. */
  extensionRefs: string[];
}

export type FiltersResult =
  { ok: true; filters: RuleFilters } | { ok: false; reason: RouteReason; message: string };

type AnyFilter = HTTPRouteFilter | GRPCRouteFilter;

function mirrorOf(filter: NonNullable<HTTPRouteFilter['requestMirror']>): MirrorRequest {
  if (filter.fraction)
    return {
      backendRef: filter.backendRef,
      fraction: { numerator: filter.fraction.numerator, denominator: filter.fraction.denominator ?? 100 },
    };
  if (filter.percent !== undefined)
    return { backendRef: filter.backendRef, fraction: { numerator: filter.percent, denominator: 100 } };
  return { backendRef: filter.backendRef };
}

const GRPC_FILTER_TYPES = new Set([
  'RequestHeaderModifier',
  'ResponseHeaderModifier',
  'RequestMirror',
  'ExtensionRef',
]);

export function ruleFilters(
  filters: readonly AnyFilter[] | undefined,
  listener: RouteParentContext,
  grpc: boolean,
): FiltersResult {
  const out: RuleFilters = { mirrors: [], extensionRefs: [] };
  for (const filter of filters ?? []) {
    const http = filter as HTTPRouteFilter;
    if (grpc && !GRPC_FILTER_TYPES.has(filter.type))
      return {
        ok: false,
        reason: 'UnsupportedValue',
        message: `filter type ${filter.type} is not supported on a GRPCRoute`,
      };
    const headerProblem = headerModifierProblem(
      filter.requestHeaderModifier ?? filter.responseHeaderModifier,
    );
    if (headerProblem) return { ok: false, reason: 'UnsupportedValue', message: headerProblem };
    switch (filter.type) {
      case 'RequestHeaderModifier': {
        const modifier = headerModifier(filter.requestHeaderModifier);
        if (modifier) out.requestHeaders = modifier;
        break;
      }
      case 'ResponseHeaderModifier': {
        const modifier = headerModifier(filter.responseHeaderModifier);
        if (modifier) out.responseHeaders = modifier;
        break;
      }
      case 'RequestRedirect':
        if (http.requestRedirect) out.redirect = redirect(http.requestRedirect, listener);
        break;
      case 'URLRewrite': {
        const path = pathModifier(http.urlRewrite?.path);
        if (path) out.rewrite = path;
        if (http.urlRewrite?.hostname) out.hostRewrite = http.urlRewrite.hostname;
        break;
      }
      case 'RequestMirror':
        if (filter.requestMirror) out.mirrors.push(mirrorOf(filter.requestMirror));
        break;
      case 'CORS': {
        if (!http.cors) break;
        const cors = corsSettings(http.cors);
        if (typeof cors === 'string') return { ok: false, reason: 'UnsupportedValue', message: cors };
        out.cors = cors;
        break;
      }
      case 'ExtensionRef': {
        const ref = filter.extensionRef;
        out.extensionRefs.push(
          ref ? `${ref.group ? `${ref.group}/` : ''}${ref.kind} ${ref.name}` : 'ExtensionRef',
        );
        break;
      }
      default:
        return {
          ok: false,
          reason: 'UnsupportedValue',
          message: `filter type ${filter.type} is not supported`,
        };
    }
  }
  if (out.redirect && (out.rewrite || out.hostRewrite))
    return {
      ok: false,
      reason: 'IncompatibleFilters',
      message: 'RequestRedirect and URLRewrite cannot be combined',
    };
  return { ok: true, filters: out };
}
