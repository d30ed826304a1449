/** What a store adapter reports of each commit, for the metrics: how many appends and events, and how long. */
export interface CommitMeasure {
  readonly appends: number;
  readonly events: number;
  /** From the first append's arrival to the commit (queueing included), and the transaction alone. */
  readonly waitedSeconds: number;
  readonly commitSeconds: number;
}

export type CommitObserver = (commit: CommitMeasure) => void;
