import type { ContactRequestEvent } from '../../domain/contact-request/contact-request.decider';
import type { DirectoryPolicyEvent, Matrix } from '../../domain/directory-policy/directory-policy.decider';
import type { TagCommand, TagEvent } from '../../domain/tag/tag.decider';
import { AggregateCommand } from '../commands/command-bus';
import type { CommandOutcome } from '../commands/decider-command-runner';

/** Any command on one tag's stream (CreateTag … SetTagSharedOrgs). */
export class ExecuteTagCommand extends AggregateCommand<TagCommand, CommandOutcome<TagEvent>> {}

/** SetDirectoryMatrix (001b:10): the jurisdiction's 4×4 matrix. */
export class SetDirectoryMatrix extends AggregateCommand<{ matrix: Matrix }, CommandOutcome<DirectoryPolicyEvent>> {}

/** A contact request as its sender or its addressee sends it; the handler adds who acts and the mode between the two. */
export type ContactRequestRequest =
  | { type: 'RequestContact'; data: { requestId: string; toPersonId: string; message?: string | null } }
  | { type: 'AcceptContact' | 'DeclineContact'; data: { requestId: string } };

export class ExecuteContactRequestCommand extends AggregateCommand<
  ContactRequestRequest,
  CommandOutcome<ContactRequestEvent>
> {}
