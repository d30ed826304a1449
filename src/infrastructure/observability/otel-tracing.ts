/**
 * Tracing through OpenTelemetry, on a tracer provider of the service's own (nothing registered
 * globally): spans continue the W3C trace context they are given, and give on theirs. Exported
 * as OTEL_TRACES_EXPORTER says: `otlp` (OTLP over HTTP to a collector), `console` (stdout),
 * `memory` (kept in the process, for the tests and for a look from a debugger), `none` (ids still
 * made and carried, nothing exported).
 */
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanRole, Tracing } from '../../application/ports/tracing.port';

export const TRACES_EXPORTERS = ['none', 'console', 'memory', 'otlp'] as const;

const SPAN_KINDS: Readonly<Record<SpanRole, SpanKind>> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
};
export type TracesExporter = (typeof TRACES_EXPORTERS)[number];

/** A traceparent as W3C Trace Context defines it (version 00, ids not all zero). */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

export function validTraceparent(value: string | undefined | null): string | null {
  const text = value?.trim().toLowerCase();
  return text && TRACEPARENT.test(text) ? text : null;
}

export class OtelTracing implements Tracing {
  /** The spans ended so far, when exported to memory. */
  readonly memory: InMemorySpanExporter | null;
  private readonly provider: BasicTracerProvider;
  private readonly tracer;
  private readonly propagator = new W3CTraceContextPropagator();

  /** `otlpUrl`: where `otlp` sends (OTLP over HTTP, JSON), e.g. http://collector:4318/v1/traces. */
  constructor(exporter: TracesExporter, otlpUrl?: string) {
    const processors: SpanProcessor[] = [];
    this.memory = exporter === 'memory' ? new InMemorySpanExporter() : null;
    if (this.memory) processors.push(new SimpleSpanProcessor(this.memory));
    if (exporter === 'console') processors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
    if (exporter === 'otlp') processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpUrl })));
    const resource = resourceFromAttributes({ 'service.name': 'gov-collab' });
    this.provider = new BasicTracerProvider({ resource, spanProcessors: processors });
    this.tracer = this.provider.getTracer('gov-collab');
  }

  async span<T>(
    name: string,
    role: SpanRole,
    parent: string | null | undefined,
    attributes: Readonly<Record<string, string | number>>,
    work: (traceparent: string | null) => Promise<T>,
  ): Promise<T> {
    const valid = validTraceparent(parent);
    const parentContext = valid
      ? this.propagator.extract(ROOT_CONTEXT, { traceparent: valid }, defaultTextMapGetter)
      : ROOT_CONTEXT;
    const span = this.tracer.startSpan(name, { attributes: { ...attributes }, kind: SPAN_KINDS[role] }, parentContext);
    const carrier: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(parentContext, span), carrier, defaultTextMapSetter);
    try {
      return await work(carrier.traceparent ?? null);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'ERROR' });
      throw error;
    } finally {
      span.end();
    }
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}
