/**
 * What an app's requests carry since issue 19 (fix 8): the 附件 1.1 fields of the access request,
 * the form of a launch, an offline or a deregistration (附件 1.2–1.4), and both reports recorded
 * as passed before the launch (001a:13). Suites about other things use these; the rules' own
 * tests (the decider spec, app-lifecycle) send bodies without them.
 */
import type { ReportKind } from '../../src/domain/app-registration/app-registration.decider';

export const APP_REQUEST_EXTRAS = {
  scenario: '测试场景',
  vendor: '测试开发商',
  contactEmail: 'contact@qp.example.gov.cn',
} as const;

export const APP_FORM = {
  on: '2025-06-01',
  contact: { name: '王五', phone: '021-59700000' },
  contactEmail: 'contact@qp.example.gov.cn',
  techLead: { name: '赵六', phone: '13800000000' },
  remarks: null,
} as const;

/** The results that let an app with these report references go online. */
export function passedReports(securityAuditReportRef: string, cryptoAssessmentReportRef: string) {
  const passed = (report: ReportKind, ref: string) => ({
    report,
    ref,
    result: 'PASSED' as const,
    issuingBody: '上海市信息安全测评认证中心',
    issuedOn: '2025-05-20',
  });
  return [passed('SECURITY_AUDIT', securityAuditReportRef), passed('CRYPTO_ASSESSMENT', cryptoAssessmentReportRef)];
}

/** A request body with the 附件 fields filled in where the route needs them and the body names none. */
export function withAppForms(path: string, body: object): object {
  if (path === '/apps') return { ...APP_REQUEST_EXTRAS, ...body };
  if (/^\/apps\/[^/]+\/(launch|offline|deregister)$/.test(path)) return { form: APP_FORM, ...body };
  return body;
}
