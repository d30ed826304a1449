import { DeciderSpecification } from '../../../test/support/decider-specification';
import { type AccountCommand, type AccountEvent, accountDecider } from './account.decider';

const spec = DeciderSpecification.for(accountDecider);
const NOW = '2025-03-03T02:00:00.000Z';
const facts = { personStatus: 'ACTIVE' as const, maxTemporaryDays: 90 };
const open = (over: Partial<Extract<AccountCommand, { type: 'OpenAccount' }>['data']> = {}): AccountCommand => ({
  type: 'OpenAccount',
  data: { accountId: 'a1', type: 'USER', loginName: 'zhang.san', personId: 'p1', facts, ...over },
});
const opened: AccountEvent = {
  type: 'AccountOpened',
  data: {
    accountId: 'a1',
    type: 'USER',
    loginName: 'zhang.san',
    personId: 'p1',
    appId: null,
    sponsorOrgNodeId: null,
    expiresAt: null,
  },
};
const adminOpened: AccountEvent = { type: 'AccountOpened', data: { ...opened.data, type: 'TIERED_ADMIN' } };
const activated: AccountEvent = { type: 'AccountActivated', data: { accountId: 'a1', at: NOW } };
const frozen: AccountEvent = {
  type: 'AccountFrozen',
  data: { accountId: 'a1', reason: 'DEVICE_LOST', previousStatus: 'ACTIVE', at: NOW },
};
const closed: AccountEvent = {
  type: 'AccountClosed',
  data: { accountId: 'a1', reason: 'PERSON_LEFT', personId: 'p1', at: NOW },
};
const granted: AccountEvent = {
  type: 'AdminScopeGranted',
  data: { accountId: 'a1', orgNodeId: 'edu', personId: 'p1' },
};

describe('Account decider (001b:7, 000:9, 000:16-17)', () => {
  describe('OpenAccount', () => {
    it('opens a user account for an ACTIVE person, pending activation', () => {
      spec.given([]).when(open()).then([opened]);
    });
    it('refuses a person who is not in office, a missing person, a bad login name, a used id', () => {
      spec
        .given([])
        .when(open({ facts: { ...facts, personStatus: 'LEFT' } }))
        .thenFails('PERSON_NOT_ACTIVE');
      spec
        .given([])
        .when(open({ personId: null }))
        .thenFails('ACCOUNT_NEEDS_PERSON');
      spec
        .given([])
        .when(open({ loginName: 'a b' }))
        .thenFails('INVALID_LOGIN_NAME');
      spec
        .given([])
        .when(open({ type: 'ROOT' as never }))
        .thenFails('INVALID_ACCOUNT_TYPE');
      spec.given([opened]).when(open()).thenFails('ACCOUNT_ALREADY_EXISTS');
    });
    it('opens a temporary account for an app, sponsored by its unit, with an expiry inside the maximum', () => {
      const app = { status: 'APPROVED', owningOrgNodeId: 'edu' };
      spec
        .given([])
        .when(
          open({
            type: 'TEMPORARY',
            personId: null,
            appId: 'app1',
            expiresAt: '2025-04-01T00:00:00.000Z',
            facts: { ...facts, app },
          }),
        )
        .then([
          {
            type: 'AccountOpened',
            data: {
              accountId: 'a1',
              type: 'TEMPORARY',
              loginName: 'zhang.san',
              personId: null,
              appId: 'app1',
              sponsorOrgNodeId: 'edu',
              expiresAt: '2025-04-01T00:00:00.000Z',
            },
          },
        ]);
      spec
        .given([])
        .when(
          open({
            type: 'TEMPORARY',
            personId: null,
            appId: 'app1',
            expiresAt: '2025-12-01T00:00:00Z',
            facts: { ...facts, app },
          }),
        )
        .thenFails('INVALID_TEMPORARY_EXPIRY');
      spec
        .given([])
        .when(
          open({
            type: 'TEMPORARY',
            personId: null,
            appId: 'app1',
            expiresAt: '2025-01-01T00:00:00Z',
            facts: { ...facts, app },
          }),
        )
        .thenFails('INVALID_TEMPORARY_EXPIRY');
      spec
        .given([])
        .when(open({ type: 'TEMPORARY', personId: null, appId: 'app1', facts: { ...facts, app } }))
        .thenFails('INVALID_TEMPORARY_EXPIRY');
      spec
        .given([])
        .when(open({ type: 'TEMPORARY', personId: null, appId: null, expiresAt: '2025-04-01T00:00:00Z' }))
        .thenFails('TEMPORARY_ACCOUNT_NEEDS_APP');
      spec
        .given([])
        .when(
          open({
            type: 'TEMPORARY',
            appId: 'app1',
            expiresAt: '2025-04-01T00:00:00Z',
            facts: { ...facts, app: { ...app, status: 'DEREGISTERED' } },
          }),
        )
        .thenFails('APP_NOT_ACTIVE');
    });
  });

  it('activates once; a frozen or closed account is not activated', () => {
    spec
      .given([opened])
      .when({ type: 'ActivateAccount', data: { accountId: 'a1' } })
      .then([activated]);
    spec
      .given([opened, activated])
      .when({ type: 'ActivateAccount', data: { accountId: 'a1' } })
      .thenNothingHappens();
    spec
      .given([opened, activated, frozen])
      .when({ type: 'ActivateAccount', data: { accountId: 'a1' } })
      .thenFails('ACCOUNT_FROZEN');
    spec
      .given([opened, closed])
      .when({ type: 'ActivateAccount', data: { accountId: 'a1' } })
      .thenFails('ACCOUNT_CLOSED');
    spec
      .given([])
      .when({ type: 'ActivateAccount', data: { accountId: 'a1' } })
      .thenFails('ACCOUNT_NOT_FOUND');
  });

  it('freezes with a reason and unfreezes to the status it had', () => {
    spec
      .given([opened, activated])
      .when({ type: 'FreezeAccount', data: { accountId: 'a1', reason: 'DEVICE_LOST' } })
      .then([frozen]);
    spec
      .given([opened, activated, frozen])
      .when({ type: 'FreezeAccount', data: { accountId: 'a1', reason: 'SECURITY' } })
      .thenNothingHappens();
    spec
      .given([opened])
      .when({ type: 'FreezeAccount', data: { accountId: 'a1', reason: 'LOST' as never } })
      .thenFails('INVALID_FREEZE_REASON');
    spec
      .given([opened, activated, frozen])
      .when({ type: 'UnfreezeAccount', data: { accountId: 'a1' } })
      .then([{ type: 'AccountUnfrozen', data: { accountId: 'a1', status: 'ACTIVE' } }]);
    spec
      .given([opened])
      .when({ type: 'UnfreezeAccount', data: { accountId: 'a1' } })
      .thenFails('ACCOUNT_NOT_FROZEN');
  });

  it('closes once, revoking its admin scopes first', () => {
    spec
      .given([adminOpened, activated, granted])
      .when({ type: 'CloseAccount', data: { accountId: 'a1', reason: 'PERSON_LEFT' } })
      .then([{ type: 'AdminScopeRevoked', data: { accountId: 'a1', orgNodeId: 'edu', personId: 'p1' } }, closed]);
    spec
      .given([opened, closed])
      .when({ type: 'CloseAccount', data: { accountId: 'a1', reason: 'PERSON_LEFT' } })
      .thenNothingHappens();
    spec
      .given([opened])
      .when({ type: 'CloseAccount', data: { accountId: 'a1', reason: 'BORED' as never } })
      .thenFails('INVALID_CLOSE_REASON');
  });

  it('grants scopes to tiered admins only, on active nodes, once; revokes only what is held', () => {
    spec
      .given([adminOpened])
      .when({ type: 'GrantAdminScope', data: { accountId: 'a1', orgNodeId: 'edu', nodeStatus: 'ACTIVE' } })
      .then([granted]);
    spec
      .given([adminOpened, granted])
      .when({ type: 'GrantAdminScope', data: { accountId: 'a1', orgNodeId: 'edu', nodeStatus: 'ACTIVE' } })
      .thenNothingHappens();
    spec
      .given([opened])
      .when({ type: 'GrantAdminScope', data: { accountId: 'a1', orgNodeId: 'edu', nodeStatus: 'ACTIVE' } })
      .thenFails('NOT_A_TIERED_ADMIN_ACCOUNT');
    spec
      .given([adminOpened])
      .when({ type: 'GrantAdminScope', data: { accountId: 'a1', orgNodeId: 'old', nodeStatus: 'MERGED' } })
      .thenFails('ORG_NODE_NOT_ACTIVE');
    spec
      .given([adminOpened, closed])
      .when({ type: 'GrantAdminScope', data: { accountId: 'a1', orgNodeId: 'edu', nodeStatus: 'ACTIVE' } })
      .thenFails('ACCOUNT_CLOSED');
    spec
      .given([adminOpened, granted])
      .when({ type: 'RevokeAdminScope', data: { accountId: 'a1', orgNodeId: 'edu' } })
      .then([{ type: 'AdminScopeRevoked', data: { accountId: 'a1', orgNodeId: 'edu', personId: 'p1' } }]);
    spec
      .given([adminOpened])
      .when({ type: 'RevokeAdminScope', data: { accountId: 'a1', orgNodeId: 'edu' } })
      .thenNothingHappens();
  });

  it("grants read-only roles (auditor, assessor) to a person's account, over a subtree or the jurisdiction; closing revokes them", () => {
    const grant = (over: Partial<Extract<AccountCommand, { type: 'GrantReadRole' }>['data']> = {}): AccountCommand => ({
      type: 'GrantReadRole',
      data: { accountId: 'a1', role: 'AUDITOR', orgNodeId: 'edu', nodeStatus: 'ACTIVE', ...over },
    });
    const auditor: AccountEvent = {
      type: 'ReadRoleGranted',
      data: { accountId: 'a1', role: 'AUDITOR', orgNodeId: 'edu', personId: 'p1' },
    };
    spec.given([opened]).when(grant()).then([auditor]);
    spec
      .given([adminOpened])
      .when(grant({ role: 'ASSESSOR', orgNodeId: null, nodeStatus: null }))
      .then([
        { type: 'ReadRoleGranted', data: { accountId: 'a1', role: 'ASSESSOR', orgNodeId: null, personId: 'p1' } },
      ]);
    spec.given([opened, auditor]).when(grant()).thenNothingHappens();
    spec
      .given([{ type: 'AccountOpened', data: { ...opened.data, type: 'SYSTEM_ADMIN' } }])
      .when(grant())
      .thenFails('READ_ROLE_NOT_APPLICABLE');
    spec
      .given([opened])
      .when(grant({ role: 'OWNER' as never }))
      .thenFails('INVALID_READ_ROLE');
    spec
      .given([opened])
      .when(grant({ nodeStatus: 'DISSOLVED' }))
      .thenFails('ORG_NODE_NOT_ACTIVE');
    spec
      .given([opened, auditor])
      .when({ type: 'RevokeReadRole', data: { accountId: 'a1', role: 'AUDITOR', orgNodeId: 'edu' } })
      .then([{ type: 'ReadRoleRevoked', data: auditor.data }]);
    spec
      .given([opened, auditor])
      .when({ type: 'RevokeReadRole', data: { accountId: 'a1', role: 'ASSESSOR', orgNodeId: 'edu' } })
      .thenNothingHappens();
    spec
      .given([opened, auditor])
      .when({ type: 'CloseAccount', data: { accountId: 'a1', reason: 'PERSON_LEFT' } })
      .then([{ type: 'ReadRoleRevoked', data: auditor.data }, closed]);
  });

  it('records sign-ins once per sender id; the first one activates the account', () => {
    const signIn = (signalId: string, at: string): AccountCommand => ({
      type: 'RecordSignIn',
      data: { accountId: 'a1', signalId, at },
    });
    const signedIn: AccountEvent = {
      type: 'AccountSignedIn',
      data: { accountId: 'a1', signalId: 's1', at: '2025-03-03T01:00:00Z', client: null, personId: 'p1' },
    };
    spec
      .given([opened])
      .when(signIn('s1', '2025-03-03T01:00:00Z'))
      .then([signedIn, { type: 'AccountActivated', data: { accountId: 'a1', at: '2025-03-03T01:00:00Z' } }]);
    spec.given([opened, activated, signedIn]).when(signIn('s1', '2025-03-03T01:00:00Z')).thenNothingHappens();
    spec
      .given([opened, activated, signedIn])
      .when(signIn('s2', '2025-03-04T01:00:00Z'), { now: new Date('2025-03-04T02:00:00Z') })
      .then([{ type: 'AccountSignedIn', data: { ...signedIn.data, signalId: 's2', at: '2025-03-04T01:00:00Z' } }]);
    spec.given([opened, activated, signedIn]).when(signIn('s0', '2025-01-01T01:00:00Z')).thenFails('SIGNAL_TOO_OLD');
    spec.given([opened, activated]).when(signIn('', '2025-03-03T01:00:00Z')).thenFails('INVALID_SIGNAL_ID');
    spec.given([opened, activated]).when(signIn('s1', 'yesterday')).thenFails('INVALID_SIGNAL_TIME');
    // A sign-in from the future (beyond the gateway's clock skew) would make every genuine one look too old (issue 17).
    spec.given([opened, activated]).when(signIn('s9', '2099-01-01T00:00:00Z')).thenFails('SIGNAL_FROM_THE_FUTURE');
  });

  it('judges a sign-in by the account’s state at the sign-in’s own time (000:17: what happened before a freeze)', () => {
    const signIn = (signalId: string, at: string): AccountCommand => ({
      type: 'RecordSignIn',
      data: { accountId: 'a1', signalId, at },
    });
    const before = '2025-03-03T01:00:00Z';
    const made = (at: string): AccountEvent => ({
      type: 'AccountSignedIn',
      data: { accountId: 'a1', signalId: 's1', at, client: null, personId: 'p1' },
    });
    // Frozen and closed at NOW (02:00): a sign-in made at 01:00 and reported later is recorded, with no activation.
    spec
      .given([opened, activated, frozen])
      .when(signIn('s1', before))
      .then([made(before)]);
    spec
      .given([opened, frozen])
      .when(signIn('s1', before))
      .then([made(before)]);
    spec
      .given([opened, closed])
      .when(signIn('s1', before))
      .then([made(before)]);
    spec.given([opened, activated, frozen]).when(signIn('s1', NOW)).thenFails('ACCOUNT_FROZEN');
    spec.given([opened, closed]).when(signIn('s1', NOW)).thenFails('ACCOUNT_CLOSED');
    // A freeze recorded before its time was kept (schema v1) says nothing of when: such sign-ins stay refused.
    const frozenV1: AccountEvent = { type: 'AccountFrozen', data: { ...frozen.data, at: null } as never };
    spec.given([opened, activated, frozenV1]).when(signIn('s1', before)).thenFails('ACCOUNT_FROZEN');
  });

  it('records a password change as a date, never the secret, with the previous change for rotation age', () => {
    const changed: AccountEvent = {
      type: 'AccountPasswordChanged',
      data: { accountId: 'a1', at: '2025-03-01T00:00:00Z', previousChangeAt: null },
    };
    spec
      .given([opened])
      .when({ type: 'RecordPasswordChange', data: { accountId: 'a1', at: '2025-03-01T00:00:00Z' } })
      .then([changed]);
    spec
      .given([opened, changed])
      .when({ type: 'RecordPasswordChange', data: { accountId: 'a1', at: '2025-03-01T00:00:00Z' } })
      .thenNothingHappens();
    spec
      .given([opened, changed])
      .when({ type: 'RecordPasswordChange', data: { accountId: 'a1', at: '2025-06-01T00:00:00Z' } })
      .then([
        {
          type: 'AccountPasswordChanged',
          data: { accountId: 'a1', at: '2025-06-01T00:00:00Z', previousChangeAt: '2025-03-01T00:00:00Z' },
        },
      ]);
    expect(JSON.stringify(changed)).not.toMatch(/password"|secret|hash/i);
  });
});
