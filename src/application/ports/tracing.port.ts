/**
 * Traces (W3C trace context): a command, the policy it triggers and the webhook delivery it causes
 * are spans of one trace. What a span writes carries its `traceparent` (in the event envelope,
 * beside correlation and causation; in the delivery's header), so the next step continues it.
 */
export interface Tracing {
  /**
   * Runs `work` in a span continuing `parent` (a traceparent; null or absent: a new trace), and
   * gives `work` the span's own traceparent (null when nothing is traced).
   */
  span<T>(
    name: string,
    parent: string | null | undefined,
    attributes: Readonly<Record<string, string | number>>,
    work: (traceparent: string | null) => Promise<T>,
  ): Promise<T>;
}

export const TRACING = Symbol('Tracing');

/** Nothing traced: the parent's traceparent is passed on unchanged. */
export const NO_TRACING: Tracing = { span: (_name, parent, _attributes, work) => work(parent ?? null) };
