/**
 * Traces (W3C trace context): a command, the policy it triggers and the webhook delivery it causes
 * are spans of one trace. What a span writes carries its `traceparent` (in the event envelope,
 * beside correlation and causation; in the delivery's header), so the next step continues it.
 */
/** What a span is to the service: a request it serves, a call it makes, or work of its own. */
export type SpanRole = 'server' | 'client' | 'internal';

export interface Tracing {
  /**
   * Runs `work` in a span continuing `parent` (a traceparent; null or absent: a new trace), and
   * gives `work` the span's own traceparent (null when nothing is traced).
   */
  span<T>(
    name: string,
    role: SpanRole,
    parent: string | null | undefined,
    attributes: Readonly<Record<string, string | number>>,
    work: (traceparent: string | null) => Promise<T>,
  ): Promise<T>;
}

export const TRACING = Symbol('Tracing');

/** Nothing traced: the parent's traceparent is passed on unchanged. */
export const NO_TRACING: Tracing = { span: (_name, _role, parent, _attributes, work) => work(parent ?? null) };
