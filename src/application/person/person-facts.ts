/** A person request with the node facts its decision depends on: the status of the nodes it posts into. */
import type { OrgTreeState } from '../../domain/org-node/org-node.decider';
import type { PersonCommand } from '../../domain/person/person.decider';
import { nodeFactsIn } from '../org-node/org-tree';
import type { PersonRequest } from './person.commands';

export function withNodeFacts(request: PersonRequest, tree: OrgTreeState): PersonCommand {
  const nodes = (orgNodeId: string) => nodeFactsIn(tree, [orgNodeId]);
  switch (request.type) {
    case 'RegisterPerson':
      return { type: request.type, data: { ...request.data, nodes: nodes(request.data.primaryPost.orgNodeId) } };
    case 'ReinstatePerson':
      return { type: request.type, data: { ...request.data, nodes: nodes(request.data.primaryPost.orgNodeId) } };
    case 'TransferPerson':
      return { type: request.type, data: { ...request.data, nodes: nodes(request.data.to.orgNodeId) } };
    case 'StartSecondment':
      return { type: request.type, data: { ...request.data, nodes: nodes(request.data.post.orgNodeId) } };
    case 'AssignConcurrentPost':
      return { type: request.type, data: { ...request.data, nodes: nodes(request.data.post.orgNodeId) } };
    default:
      return request;
  }
}
