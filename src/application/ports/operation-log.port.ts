/** Where the background workers (policies, projections, webhook delivery) report what they did. */
export interface OperationLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
