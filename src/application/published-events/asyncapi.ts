/**
 * The AsyncAPI 3 document of the published events, built from the same catalog, generated data
 * schemas and version history the code delivers with (served at GET /asyncapi).
 */
import { currentVersionOf } from '../event-store/event-versions';
import { EVENT_DATA_SCHEMAS, PERSONAL_KEYS, PUBLISHED_EVENT_TYPES, SCHEMA_DEFINITIONS, versionsOf } from './catalog';

type Json = Record<string, unknown>;

/** Rewrites `#/definitions/X` to components, and makes personal fields optional (withheld without a grant). */
function adapt(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(adapt);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === '$ref' && typeof value === 'string')
      out[key] = value.replace('#/definitions/', '#/components/schemas/');
    else out[key] = adapt(value);
  }
  const properties = out.properties as Json | undefined;
  if (properties && Array.isArray(out.required)) {
    const personal = Object.keys(properties).filter((key) => PERSONAL_KEYS[key]);
    if (personal.length > 0) {
      out.required = (out.required as string[]).filter((key) => !PERSONAL_KEYS[key]);
      for (const key of personal)
        properties[key] = {
          ...(properties[key] as Json),
          description: `个人信息：仅向获授权（${PERSONAL_KEYS[key]}）的订阅方提供，否则省略并在 withheld 中列出路径`,
        };
    }
  }
  return out;
}

const ENVELOPE: Json = {
  type: 'object',
  required: [
    'id',
    'type',
    'version',
    'stream',
    'revision',
    'position',
    'recordedAt',
    'effectiveAt',
    'jurisdiction',
    'subject',
    'orgNodeIds',
    'actor',
    'reason',
    'sourceRef',
    'correlationId',
    'causationId',
    'data',
    'withheld',
  ],
  properties: {
    id: { type: 'string', description: '事件编号（UUID）：接收方据此去重，重试会重复同一编号' },
    type: { type: 'string' },
    version: { type: 'integer', minimum: 1, description: '数据结构版本；旧版本事件读出时已升级为当前结构' },
    stream: { type: 'string', description: '事件流（聚合）名，如 Person-<personId>；同一流内按 revision 顺序投递' },
    revision: { type: 'string', pattern: '^[0-9]+$', description: '在流内的序号（从 0 开始，十进制字符串）' },
    position: {
      type: 'string',
      pattern: '^[0-9a-f]{16}-[0-9a-f]{16}$',
      description: '全局位置：作为 Last-Event-ID 或回退位置使用',
    },
    recordedAt: { type: 'string', format: 'date-time', description: '平台记录时间' },
    effectiveAt: { type: 'string', description: '业务发生时间（如任免文件日期）' },
    jurisdiction: { type: 'string' },
    subject: {
      type: 'object',
      required: ['kind', 'id'],
      properties: {
        kind: { type: 'string', enum: ['OrgNode', 'Person', 'Account', 'WorkGroup', 'App', 'Tag'] },
        id: { type: 'string' },
      },
    },
    orgNodeIds: { type: 'array', items: { type: 'string' }, description: '事件涉及的组织节点（按组织子树过滤的依据）' },
    actor: {
      type: 'object',
      required: ['role', 'accountId'],
      properties: { role: { type: 'string' }, accountId: { type: 'string' } },
    },
    reason: { type: ['string', 'null'] },
    sourceRef: { type: ['string', 'null'], description: '依据文号' },
    correlationId: { type: 'string' },
    causationId: { type: ['string', 'null'] },
    withheld: { type: 'array', items: { type: 'string' }, description: '因未获授权而省略的个人信息字段路径' },
  },
};

export interface AsyncApiOptions {
  /** host[:port] the document advertises (the request's Host). */
  readonly host: string;
  readonly version: string;
}

export function asyncApiDocument(options: AsyncApiOptions): Json {
  const schemas: Json = { PublishedEventEnvelope: ENVELOPE };
  for (const [name, definition] of Object.entries(SCHEMA_DEFINITIONS)) schemas[name] = adapt(definition);
  const messages: Json = {};
  for (const entry of PUBLISHED_EVENT_TYPES) {
    const version = currentVersionOf(entry.type);
    schemas[`${entry.type}Data`] = adapt(EVENT_DATA_SCHEMAS[entry.type]);
    schemas[entry.type] = {
      allOf: [
        { $ref: '#/components/schemas/PublishedEventEnvelope' },
        {
          type: 'object',
          properties: {
            type: { const: entry.type },
            version: { const: version },
            data: { $ref: `#/components/schemas/${entry.type}Data` },
          },
        },
      ],
    };
    messages[entry.type] = {
      name: entry.type,
      title: entry.summary,
      summary: `${entry.summary}（关于 ${entry.subject}，当前版本 ${version}）`,
      description: versionsOf(entry.type)
        .map((v) => `v${v.version}: ${v.change}`)
        .join('\n'),
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${entry.type}` },
    };
  }
  const messageRefs = Object.fromEntries(
    PUBLISHED_EVENT_TYPES.map((entry) => [entry.type, { $ref: `#/components/messages/${entry.type}` }]),
  );
  const filterParameters =
    '按 types（事件类型）、streamPrefixes（流名前缀）、orgSubtrees（组织子树根节点）过滤，多值以逗号分隔';
  return {
    asyncapi: '3.0.0',
    info: {
      title: '政务协同办公平台 — 对外发布的事件',
      version: options.version,
      description: [
        '下游系统（OA、公文流转、统一身份认证后的应用）订阅组织、人员、账号、工作群、应用和标签的变更。',
        '三种方式：Server-Sent Events（/events/stream，可用 Last-Event-ID 从任一位置续传）、WebSocket（/events/ws）、Webhook（系统管理员登记订阅后由平台推送，HMAC-SHA256 签名）。',
        '同一流（stream）内的事件按顺序送达；接收方按事件 id 去重。身份证号、手机号仅向获授权的订阅方提供。',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      platform: {
        host: options.host,
        protocol: 'http',
        description: '平台 HTTP 接口（SSE 与 WebSocket 需携带 Bearer 令牌）',
      },
    },
    channels: {
      eventStream: {
        address: '/events/stream',
        title: 'Server-Sent Events',
        description: `每条 SSE 的 id 为事件 position，event 为事件类型。${filterParameters}；from 或 Last-Event-ID 指定续传位置。`,
        servers: [{ $ref: '#/servers/platform' }],
        messages: messageRefs,
      },
      eventSocket: {
        address: '/events/ws',
        title: 'WebSocket',
        description: `每条文本消息为一个事件的 JSON。${filterParameters}；from 指定续传位置。`,
        servers: [{ $ref: '#/servers/platform' }],
        messages: messageRefs,
      },
      webhook: {
        address: '{subscriberUrl}',
        title: 'Webhook',
        description:
          '平台向订阅登记的地址 POST 事件 JSON；请求头 X-GovCollab-Timestamp 与 X-GovCollab-Signature（sha256=HMAC-SHA256(secret, timestamp + "." + body)）供接收方验签，X-GovCollab-Event-Id 供去重。2xx 视为送达，其他状态或超时按指数退避重试。',
        parameters: { subscriberUrl: { description: '订阅登记的推送地址' } },
        messages: messageRefs,
      },
    },
    operations: {
      streamEvents: { action: 'send', channel: { $ref: '#/channels/eventStream' }, summary: '平台经 SSE 发送事件' },
      socketEvents: {
        action: 'send',
        channel: { $ref: '#/channels/eventSocket' },
        summary: '平台经 WebSocket 发送事件',
      },
      pushWebhooks: { action: 'send', channel: { $ref: '#/channels/webhook' }, summary: '平台向订阅地址推送事件' },
    },
    components: { schemas, messages },
  };
}
