import { DeciderSpecification } from '../../../test/support/decider-specification';
import {
  ContactRequestAlreadyAnswered,
  type ContactRequestEvent,
  ContactRequestNotApplicable,
  ContactRequestNotFound,
  contactRequestDecider,
  NotTheRequestedPerson,
} from './contact-request.decider';

const spec = DeciderSpecification.for(contactRequestDecider);
const requested: ContactRequestEvent = {
  type: 'ContactRequested',
  data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p2', message: '您好' },
};

describe('Contact request decider (001b:10)', () => {
  it('requests contact where the policy says SEARCH_ADD; a repeated request changes nothing', () => {
    spec
      .given([])
      .when({
        type: 'RequestContact',
        data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p2', message: ' 您好 ', mode: 'SEARCH_ADD' },
      })
      .then([requested]);
    spec
      .given([requested])
      .when({
        type: 'RequestContact',
        data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p2', mode: 'SEARCH_ADD' },
      })
      .thenNothingHappens();
  });

  it.each([['DIRECT'], ['NONE']] as const)('refuses a request where the mode is %s, and to oneself', (mode) => {
    spec
      .given([])
      .when({ type: 'RequestContact', data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p2', mode } })
      .thenThrows(ContactRequestNotApplicable);
    spec
      .given([])
      .when({
        type: 'RequestContact',
        data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p1', mode: 'SEARCH_ADD' },
      })
      .thenThrows(ContactRequestNotApplicable);
  });

  it('lets only the requested person accept or decline, once', () => {
    spec
      .given([requested])
      .when({ type: 'AcceptContact', data: { requestId: 'r1', byPersonId: 'p2' } })
      .then([{ type: 'ContactAccepted', data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p2' } }]);
    spec
      .given([requested])
      .when({ type: 'DeclineContact', data: { requestId: 'r1', byPersonId: 'p2' } })
      .then([{ type: 'ContactDeclined', data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p2' } }]);
    spec
      .given([requested])
      .when({ type: 'AcceptContact', data: { requestId: 'r1', byPersonId: 'p1' } })
      .thenThrows(NotTheRequestedPerson);
    spec
      .given([requested, { type: 'ContactDeclined', data: { requestId: 'r1', fromPersonId: 'p1', toPersonId: 'p2' } }])
      .when({ type: 'AcceptContact', data: { requestId: 'r1', byPersonId: 'p2' } })
      .thenThrows(ContactRequestAlreadyAnswered);
    spec
      .given([])
      .when({ type: 'DeclineContact', data: { requestId: 'r1', byPersonId: 'p2' } })
      .thenThrows(ContactRequestNotFound);
  });
});
