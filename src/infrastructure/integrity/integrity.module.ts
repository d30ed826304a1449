/**
 * The verifiable history (issue 22): the checkpoint signing key, the Merkle log as the read side
 * keeps it, the commands that sign and cosign checkpoints and the queries that prove, bound to the
 * buses; and the checkpointer, started when INTEGRITY_CHECKPOINTS_ENABLED and stopped before the
 * store closes.
 */
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { CommandBus as NestCommandBus, QueryBus as NestQueryBus } from '@nestjs/cqrs';
import { AccessControl } from '../../application/access/access-control';
import { COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { DeciderCommandRunner } from '../../application/commands/decider-command-runner';
import { Checkpointer } from '../../application/integrity/checkpointer';
import {
  CosignCheckpointHandler,
  SignCheckpointHandler,
} from '../../application/integrity/integrity-log.command-handler';
import { CosignCheckpoint, SignCheckpoint } from '../../application/integrity/integrity-log.commands';
import { VerifyIntegrity, VerifyIntegrityHandler } from '../../application/integrity/integrity.queries';
import { MerkleLogReader } from '../../application/integrity/merkle-log';
import {
  GetCheckpoint,
  GetCheckpointHandler,
  IntegrityProofs,
  ProveConsistency,
  ProveConsistencyHandler,
  ProveInclusion,
  ProveInclusionHandler,
} from '../../application/integrity/proofs.queries';
import { CLOCK, type Clock } from '../../application/ports/clock.port';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { ReadModels } from '../../application/projections/read-models';
import { answer, bindCommands, bindQueries, on } from '../buses/bus-bindings';
import { CommandsModule } from '../buses/commands.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ReadStoreModule } from '../read-store/read-store.module';
import { nestOperationLog } from '../system/nest-operation-log';
import { checkpointSigningKey, witnessesOf } from './checkpoint-signing-key';

@Injectable()
export class IntegrityBindings implements OnModuleInit {
  constructor(
    @Inject(NestCommandBus) private readonly commandBus: NestCommandBus,
    @Inject(NestQueryBus) private readonly queryBus: NestQueryBus,
    @Inject(IntegrityProofs) private readonly proofs: IntegrityProofs,
    @Inject(DeciderCommandRunner) private readonly runner: DeciderCommandRunner,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const { proofs, runner, access } = this;
    const witnesses = witnessesOf(this.config);
    bindCommands(this.commandBus, [
      on(SignCheckpoint, new SignCheckpointHandler(runner, proofs.log, proofs.key, access, this.clock)),
      on(CosignCheckpoint, new CosignCheckpointHandler(runner, proofs.key.name, witnesses, access)),
    ]);
    bindQueries(this.queryBus, [
      answer(GetCheckpoint, new GetCheckpointHandler(proofs, access)),
      answer(ProveInclusion, new ProveInclusionHandler(proofs, access)),
      answer(ProveConsistency, new ProveConsistencyHandler(proofs, access)),
      answer(VerifyIntegrity, new VerifyIntegrityHandler(this.events, proofs, access)),
    ]);
  }
}

@Injectable()
export class CheckpointerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(Checkpointer) private readonly checkpointer: Checkpointer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.integrity.checkpointsEnabled) this.checkpointer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.checkpointer.stop();
  }
}

@Module({
  imports: [CommandsModule, ReadStoreModule],
  providers: [
    {
      provide: IntegrityProofs,
      useFactory: (models: ReadModels, events: EventStore, config: AppConfig) =>
        new IntegrityProofs(new MerkleLogReader(models), events, checkpointSigningKey(config)),
      inject: [ReadModels, EVENT_STORE, APP_CONFIG],
    },
    {
      provide: Checkpointer,
      useFactory: (commands: CommandBus, config: AppConfig) =>
        new Checkpointer(
          commands,
          config.jurisdiction,
          config.integrity.checkpointIntervalMs,
          nestOperationLog('IntegrityLog'),
        ),
      inject: [COMMAND_BUS, APP_CONFIG],
    },
    IntegrityBindings,
    CheckpointerLifecycle,
  ],
  exports: [IntegrityProofs, Checkpointer],
})
export class IntegrityModule {}
