import { DeciderSpecification } from '../../../test/support/decider-specification';
import { RuleViolation } from '../shared/domain-error';
import { type SubscriptionEvent, subscriptionDecider } from './subscription.decider';

const spec = DeciderSpecification.for(subscriptionDecider);
const filter = { types: ['PersonTransferred'], streamPrefixes: [], orgSubtrees: ['edu'] };
const registered: SubscriptionEvent = {
  type: 'SubscriptionRegistered',
  data: {
    subscriptionId: 's1',
    name: '区OA系统',
    url: 'https://oa.example.gov.cn/hooks/events',
    filter,
    grants: ['mobile'],
    maxAttempts: 8,
    secretVersion: 1,
  },
};
const base = {
  subscriptionId: 's1',
  name: ' 区OA系统 ',
  url: 'https://oa.example.gov.cn/hooks/events',
  filter,
  grants: ['mobile' as const, 'mobile' as const],
  maxAttempts: 8,
};

describe('Subscription decider (downstream subscribers, 001:14 grants on record)', () => {
  it('registers a subscription with a trimmed name, deduplicated grants and secret version 1', () => {
    spec.given([]).when({ type: 'RegisterSubscription', data: base }).then([registered]);
    spec.given([registered]).when({ type: 'RegisterSubscription', data: base }).thenThrows(RuleViolation);
  });

  it('refuses URLs with credentials or other schemes, bad attempts and unknown grants, and records nothing', () => {
    for (const url of ['ftp://x.example/', 'https://user:pw@oa.example/', 'not a url', 'https://']) {
      spec
        .given([])
        .when({ type: 'RegisterSubscription', data: { ...base, url } })
        .thenThrows(RuleViolation);
    }
    spec
      .given([])
      .when({ type: 'RegisterSubscription', data: { ...base, maxAttempts: 0 } })
      .thenThrows(RuleViolation);
    spec
      .given([])
      .when({ type: 'RegisterSubscription', data: { ...base, grants: ['password' as never] } })
      .thenThrows(RuleViolation);
    spec
      .given([])
      .when({ type: 'RegisterSubscription', data: { ...base, name: '' } })
      .thenThrows(RuleViolation);
  });

  it('records only what changed, before and after', () => {
    spec
      .given([registered])
      .when({
        type: 'ChangeSubscription',
        data: { subscriptionId: 's1', grants: ['idNumber', 'mobile'], maxAttempts: 8 },
      })
      .then([
        {
          type: 'SubscriptionChanged',
          data: { subscriptionId: 's1', from: { grants: ['mobile'] }, to: { grants: ['idNumber', 'mobile'] } },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'ChangeSubscription', data: { subscriptionId: 's1', name: '区OA系统' } })
      .thenNothingHappens();
  });

  it('rotates the secret by version, pauses, resumes and removes; a removed subscription takes no more commands', () => {
    const removed: SubscriptionEvent = { type: 'SubscriptionRemoved', data: { subscriptionId: 's1' } };
    spec
      .given([registered])
      .when({ type: 'RotateSubscriptionSecret', data: { subscriptionId: 's1' } })
      .then([{ type: 'SubscriptionSecretRotated', data: { subscriptionId: 's1', secretVersion: 2 } }]);
    spec
      .given([registered])
      .when({ type: 'PauseSubscription', data: { subscriptionId: 's1' } })
      .then([{ type: 'SubscriptionPaused', data: { subscriptionId: 's1' } }]);
    spec
      .given([registered])
      .when({ type: 'ResumeSubscription', data: { subscriptionId: 's1' } })
      .thenNothingHappens();
    spec
      .given([registered, { type: 'SubscriptionPaused', data: { subscriptionId: 's1' } }])
      .when({ type: 'ResumeSubscription', data: { subscriptionId: 's1' } })
      .then([{ type: 'SubscriptionResumed', data: { subscriptionId: 's1' } }]);
    spec
      .given([registered])
      .when({ type: 'RemoveSubscription', data: { subscriptionId: 's1' } })
      .then([removed]);
    spec
      .given([registered, removed])
      .when({ type: 'RotateSubscriptionSecret', data: { subscriptionId: 's1' } })
      .thenThrows(RuleViolation);
    spec
      .given([])
      .when({ type: 'PauseSubscription', data: { subscriptionId: 's1' } })
      .thenThrows(RuleViolation);
  });
});
