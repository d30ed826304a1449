/**
 * HR changes require the HR notice's date and 文号 (issue 19, fix 4). Suites that are about
 * something else send their HR changes through `withHrNotice`, which fills in a notice the body
 * does not name itself: the day of the request and a synthetic 文号. The rule's own tests send
 * bodies without it.
 */
const HR_ROUTE =
  /^\/persons(\/[^/]+\/(post|transfer|secondments(\/[^/]+\/end)?|concurrent-posts(\/[^/]+\/relieve)?|departure|reinstatement))?$/;

export const TEST_HR_NOTICE = '测人调〔2025〕1号';

export function withHrNotice(path: string, body: object): object {
  if (!HR_ROUTE.test(path.split('?')[0])) return body;
  return { effectiveAt: new Date().toISOString().slice(0, 10), sourceRef: TEST_HR_NOTICE, ...body };
}
