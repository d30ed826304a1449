/**
 * Signs a checkpoint of the Merkle log at a cadence: every `intervalMs`, if the log holds events
 * the latest checkpoint does not cover, through the command bus like any other command. Several
 * instances may run it: the decider lets one of two racing signatures through and refuses the
 * other as not newer, which is expected and not logged. A fork (CHECKPOINT_FORK) is: it means the
 * stored history no longer extends what was signed.
 */
import { byPlatform, type CommandBus } from '../commands/command-bus';
import type { OperationLog } from '../ports/operation-log.port';
import { SignCheckpoint } from './integrity-log.commands';

export const CHECKPOINTER_ACTOR = { accountId: 'system:integrity-log', role: 'SYSTEM' } as const;

export class Checkpointer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly commands: CommandBus,
    private readonly jurisdiction: string,
    private readonly intervalMs: number,
    private readonly log: Pick<OperationLog, 'error'>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One round: signs now if there is anything new (what the timer runs; never two at once). */
  tick(): Promise<void> {
    this.running ??= this.sign().finally(() => (this.running = null));
    return this.running;
  }

  private async sign(): Promise<void> {
    try {
      await this.commands.execute(
        new SignCheckpoint({ actor: CHECKPOINTER_ACTOR, jurisdiction: this.jurisdiction }, byPlatform('checkpointer')),
      );
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'CHECKPOINT_NOT_NEWER' || code === 'CONCURRENCY_CONFLICT' || code === 'READ_MODEL_NOT_READY') return;
      this.log.error(`签署变更历史检查点失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
