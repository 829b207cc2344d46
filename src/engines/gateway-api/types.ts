/**
 * The parts of Gateway API's `HTTPRoute` (gateway.networking.k8s.io/v1,
 * standard channel) the mesh emits, as typed specs. Tests validate every
 * emitted object against the published CRD.
 */

export interface ParentReference {
  readonly group: '';
  readonly kind: 'Service';
  readonly name: string;
  readonly port: number;
}

export interface BackendRef {
  readonly name: string;
  readonly port: number;
  readonly weight?: number;
}

export interface HttpRouteMatch {
  readonly path?: { readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression'; readonly value: string };
  readonly headers?: Array<{ readonly type: 'Exact' | 'RegularExpression'; readonly name: string; readonly value: string }>;
  readonly queryParams?: Array<{ readonly type: 'Exact'; readonly name: string; readonly value: string }>;
  readonly method?: string;
}

export type HttpRouteFilter =
  | {
    readonly type: 'RequestHeaderModifier';
    readonly requestHeaderModifier: { readonly set?: Array<{ readonly name: string; readonly value: string }>; readonly remove?: string[] };
  }
  | {
    readonly type: 'RequestMirror';
    readonly requestMirror: {
      readonly backendRef: BackendRef;
      readonly percent?: number;
      readonly fraction?: { readonly numerator: number; readonly denominator: number };
    };
  };

export interface HttpRouteRule {
  readonly matches?: HttpRouteMatch[];
  readonly filters?: HttpRouteFilter[];
  readonly backendRefs: BackendRef[];
  readonly timeouts: { readonly request: string };
}

export interface HttpRouteSpec {
  readonly parentRefs: ParentReference[];
  readonly rules: HttpRouteRule[];
}
