/**
 * The directory policy (通讯录管理), one per jurisdiction, stream `DirectoryPolicy-<jurisdiction>`:
 * a 4×4 matrix, viewer class × target class → DIRECT (visible and chattable), SEARCH_ADD (found by
 * name or mobile, chat after the other side accepts) or NONE (not found, not addable) (001b:10).
 * Default: everyone DIRECT (本区通讯录内部人员相互可见可聊).
 */
import { eventTypes, type Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

export const CONTACT_MODES = ['DIRECT', 'SEARCH_ADD', 'NONE'] as const;
export type ContactModeName = (typeof CONTACT_MODES)[number];
export const CLASSES = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
export type Matrix = Readonly<
  Record<(typeof CLASSES)[number], Readonly<Record<(typeof CLASSES)[number], ContactModeName>>>
>;

export class InvalidDirectoryMatrix extends DomainError {
  readonly code = 'INVALID_DIRECTORY_MATRIX';
  readonly kind = 'unprocessable';
  constructor(reason: string) {
    super(`通讯录可见规则无效：${reason}`, { reason });
  }
}

export const DEFAULT_MATRIX: Matrix = Object.fromEntries(
  CLASSES.map((viewer) => [viewer, Object.fromEntries(CLASSES.map((target) => [target, 'DIRECT']))]),
) as unknown as Matrix;

export interface DirectoryPolicyState {
  readonly matrix: Matrix;
}

export type DirectoryPolicyCommand = { type: 'SetDirectoryMatrix'; data: { matrix: Matrix } };
export type DirectoryPolicyEvent = { type: 'DirectoryMatrixChanged'; data: { from: Matrix; to: Matrix } };

/** Every DirectoryPolicy event type, checked exhaustive by the compiler. */
export const DIRECTORY_POLICY_EVENT_TYPES = eventTypes<DirectoryPolicyEvent>({
  DirectoryMatrixChanged: true,
});

export const directoryPolicyStream = (jurisdiction: string) => `DirectoryPolicy-${jurisdiction}`;

function assertMatrix(matrix: unknown): Matrix {
  if (typeof matrix !== 'object' || matrix === null) throw new InvalidDirectoryMatrix('应为 Q1–Q4 × Q1–Q4 的对象');
  const out: Record<string, Record<string, ContactModeName>> = {};
  for (const viewer of CLASSES) {
    const row = (matrix as Record<string, unknown>)[viewer];
    if (typeof row !== 'object' || row === null) throw new InvalidDirectoryMatrix(`缺少查看者类别 ${viewer} 的一行`);
    out[viewer] = {};
    for (const target of CLASSES) {
      const mode = (row as Record<string, unknown>)[target];
      if (!CONTACT_MODES.includes(mode as ContactModeName))
        throw new InvalidDirectoryMatrix(
          `${viewer}→${target} 应为 DIRECT、SEARCH_ADD 或 NONE，实为 ${JSON.stringify(mode)}`,
        );
      out[viewer][target] = mode as ContactModeName;
    }
  }
  return out as unknown as Matrix;
}

export const directoryPolicyDecider: Decider<DirectoryPolicyCommand, DirectoryPolicyEvent, DirectoryPolicyState> = {
  initialState: () => ({ matrix: DEFAULT_MATRIX }),
  decide(command, state) {
    const to = assertMatrix(command.data.matrix);
    if (JSON.stringify(to) === JSON.stringify(state.matrix)) return [];
    return [{ type: 'DirectoryMatrixChanged', data: { from: state.matrix, to } }];
  },
  evolve: (_state, event) => ({ matrix: event.data.to }),
};
